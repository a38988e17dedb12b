namespace Herald.Platforms.Media;

/// <summary>
/// Where image fits wait for their turn. As many fit at once as there are cores: fitting is CPU work, so more at once
/// would only hold more images in memory without finishing sooner. A large image (its decoded bitmap over
/// <see cref="LargeDecodedBytes"/>, such as a 20 MB PNG or a 12-megapixel photo) also waits for the line's one large
/// turn, because it costs its decoded bitmap, a resized copy and its encoding at once: two side by side would double
/// the worker's memory for little gain. Small images go on beside a large one.
/// </summary>
/// <remarks>
/// Publishing and the public <c>/media</c> answers wait in separate lines, so anonymous requests for images cannot
/// hold up an attempt, whose wait counts against its time budget.
/// </remarks>
internal sealed class FitLine(int turns, long largeDecodedBytes = FitLine.LargeDecodedBytes)
{
    /// <summary>A decoded bitmap above this size (4 megapixels at 4 bytes each) is a large image.</summary>
    public const long LargeDecodedBytes = 16L * 1024 * 1024;

    private readonly SemaphoreSlim _turns = new(turns, turns);
    private readonly SemaphoreSlim _large = new(1, 1);

    /// <summary>The line for images fitted while publishing.</summary>
    public static FitLine Publishing { get; } = new(Environment.ProcessorCount);

    /// <summary>The line for images a platform downloads from <c>/media</c>.</summary>
    public static FitLine Serving { get; } = new(Environment.ProcessorCount);

    /// <summary>
    /// Opens the image with <paramref name="open"/> once a turn is free, and fits it to <paramref name="target"/>;
    /// null when <paramref name="open"/> finds nothing.
    /// </summary>
    public async Task<FittedImage?> FitAsync(Func<CancellationToken, Task<Stream?>> open, ImageTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        var turn = await WaitTurnAsync(cancellationToken);
        IDisposable? large = null;
        try
        {
            var stored = await open(cancellationToken);
            if (stored is null)
            {
                return null;
            }

            await using (stored)
            {
                using var codec = ImageFitter.Open(stored);
                var decodedBytes = (long)codec.Info.Width * codec.Info.Height * 4;
                if (decodedBytes <= largeDecodedBytes)
                {
                    return ImageFitter.Fit(codec, target);
                }

                // A large image gives its turn back while it waits for the large one, so that small images go on;
                // it takes a turn again once it has the large one (large before turn: the order never crosses).
                turn.Dispose();
                large = await WaitLargeTurnAsync(decodedBytes, cancellationToken);
                turn = await WaitTurnAsync(cancellationToken);
                return ImageFitter.Fit(codec, target);
            }
        }
        finally
        {
            turn.Dispose();
            if (large is not null)
            {
                // The codec and the stream are closed by now: what they and the fitting freed goes back to the system
                // before the next large image takes the turn.
                NativeMemoryTuning.ReturnFreedMemory();
                large.Dispose();
            }
        }
    }

    /// <summary>Waits for a turn; dispose the result when done.</summary>
    public Task<IDisposable> WaitTurnAsync(CancellationToken cancellationToken) => WaitAsync(_turns, cancellationToken);

    /// <summary>
    /// For an image whose decoded bitmap takes <paramref name="decodedBytes"/>: waits for the large turn when it is a
    /// large image (dispose the result when done), else returns a turn that holds nothing at once.
    /// </summary>
    public async Task<IDisposable> WaitLargeTurnAsync(long decodedBytes, CancellationToken cancellationToken) =>
        decodedBytes > largeDecodedBytes ? await WaitAsync(_large, cancellationToken) : new Release(null);

    private static async Task<IDisposable> WaitAsync(SemaphoreSlim turns, CancellationToken cancellationToken)
    {
        await turns.WaitAsync(cancellationToken);
        return new Release(turns);
    }

    private sealed class Release(SemaphoreSlim? turns) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (turns is not null && Interlocked.Exchange(ref _released, 1) == 0)
            {
                turns.Release();
            }
        }
    }
}
