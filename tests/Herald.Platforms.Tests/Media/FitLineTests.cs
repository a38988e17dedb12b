using Herald.Platforms.Media;
using SkiaSharp;

namespace Herald.Platforms.Tests.Media;

public sealed class FitLineTests
{
    private static readonly ImageTarget Anything = new(50_000_000, 100_000_000, 10_000, ["image/jpeg", "image/png"]);

    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task LargeImages_WaitForEachOther_WhileSmallOnesGoOnBeside()
    {
        var line = new FitLine(turns: 2, largeDecodedBytes: 1000);
        var first = await line.WaitLargeTurnAsync(1001, CancellationToken.None);

        var second = line.WaitLargeTurnAsync(1001, CancellationToken.None);
        var small = line.WaitLargeTurnAsync(1000, CancellationToken.None);

        Assert.True(small.IsCompletedSuccessfully, "an image at the threshold is not large and does not wait");
        Assert.False(second.IsCompleted, "a second large image waits while the first is fitted");
        first.Dispose();
        (await second.WaitAsync(Generous)).Dispose();
    }

    [Fact]
    public async Task Turns_AsManyAsGiven_ThenTheNextWaits()
    {
        var line = new FitLine(turns: 2);
        using var one = await line.WaitTurnAsync(CancellationToken.None);
        var two = await line.WaitTurnAsync(CancellationToken.None);

        var three = line.WaitTurnAsync(CancellationToken.None);

        Assert.False(three.IsCompleted);
        two.Dispose();
        two.Dispose(); // a second dispose gives back nothing more
        using var third = await three.WaitAsync(Generous);
        Assert.False(line.WaitTurnAsync(CancellationToken.None).IsCompleted, "both turns are held again: the second was given back once");
    }

    [Fact]
    public async Task FitAsync_FitsWhatItOpens_AndNullWhenNothingIsStored()
    {
        var line = new FitLine(turns: 1);
        var png = TestImages.Noise(40, 30, SKEncodedImageFormat.Png);

        var fitted = await line.FitAsync(_ => Task.FromResult<Stream?>(new MemoryStream(png)), Anything, CancellationToken.None);
        var missing = await line.FitAsync(_ => Task.FromResult<Stream?>(null), Anything, CancellationToken.None);

        Assert.Equal(("image/png", 40, 30), (fitted!.MediaType, fitted.Width, fitted.Height));
        Assert.Null(missing);
        using var free = await line.WaitTurnAsync(CancellationToken.None).WaitAsync(Generous); // both turns were given back
    }

    [Fact]
    public async Task FitAsync_LargeImageWaitingForTheLargeTurn_LeavesItsTurnToSmallImages()
    {
        var line = new FitLine(turns: 1, largeDecodedBytes: 100);
        var held = await line.WaitLargeTurnAsync(101, CancellationToken.None); // a large image being fitted
        var large = TestImages.Noise(40, 30, SKEncodedImageFormat.Png); // 4,800 bytes decoded: large here
        var small = TestImages.Noise(5, 4, SKEncodedImageFormat.Png); // 80 bytes decoded

        var waiting = line.FitAsync(_ => Task.FromResult<Stream?>(new MemoryStream(large)), Anything, CancellationToken.None);
        var beside = await line.FitAsync(_ => Task.FromResult<Stream?>(new MemoryStream(small)), Anything, CancellationToken.None).WaitAsync(Generous);

        Assert.Equal((5, 4), (beside!.Width, beside.Height));
        Assert.False(waiting.IsCompleted, "the large image waits for the large turn");
        held.Dispose();
        var fitted = await waiting.WaitAsync(Generous);
        Assert.Equal((40, 30), (fitted!.Width, fitted.Height));
        using var free = await line.WaitTurnAsync(CancellationToken.None).WaitAsync(Generous); // its turn was given back
    }

    [Fact]
    public async Task FitAsync_CancelledWhileALargeImageIsFitted_GivesItsTurnBack()
    {
        var line = new FitLine(turns: 1, largeDecodedBytes: 100);
        var held = await line.WaitLargeTurnAsync(101, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var png = TestImages.Noise(40, 30, SKEncodedImageFormat.Png); // 4,800 bytes decoded: large here

        var waiting = line.FitAsync(_ => Task.FromResult<Stream?>(new MemoryStream(png)), Anything, cancel.Token);
        Assert.False(waiting.IsCompleted);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Generous));
        using var turn = await line.WaitTurnAsync(CancellationToken.None).WaitAsync(Generous);
        held.Dispose();
    }
}
