using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms.Tests.Media;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Bluesky;
using Herald.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SkiaSharp;

namespace Herald.Platforms.Tests.Bluesky;

/// <summary>Images on Bluesky over real HTTP against the sandbox PDS: uploadBlob, the images embed, fitting and reuse.</summary>
public sealed class BlueskyImageTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly StoredImages _images = new();
    private SandboxServer _server = null!;
    private ServiceProvider _services = null!;
    private IPlatformAdapter _adapter = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = _clock, Random = new Random(11) });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddHerald().AddBluesky();
        _services = services.BuildServiceProvider();
        _adapter = _services.GetRequiredService<PlatformRegistry>().Resolve("bluesky");
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task PublishAsync_Image_UploadsTheBlobThenEmbedsItWithAltAndAspectRatio()
    {
        var (account, user) = NewAccount("pics");
        var png = TestImages.Noise(60, 40, SKEncodedImageFormat.Png);

        var outcome = await _adapter.PublishAsync(_images.Request(StoredImages.Post("A picture.", _images.Image(png, "Coloured noise")), account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var calls = _server.Requests.For("bluesky").Where(r => r.Method == "POST" && !r.Path.EndsWith("createSession", StringComparison.Ordinal)).ToList();
        Assert.Equal(["/bluesky/xrpc/com.atproto.repo.uploadBlob", "/bluesky/xrpc/com.atproto.repo.createRecord"], calls.Select(c => c.Path));
        Assert.Equal("image/png", calls[0].Header("Content-Type"));

        var blob = Assert.Single(_server.State.Bluesky.Blobs.All, b => b.Did == user.Did);
        Assert.True(blob.Permanent);
        using var create = JsonDocument.Parse(calls[1].Body);
        var image = create.RootElement.GetProperty("record").GetProperty("embed").GetProperty("images")[0];
        Assert.Equal("app.bsky.embed.images", create.RootElement.GetProperty("record").GetProperty("embed").GetProperty("$type").GetString());
        Assert.Equal("Coloured noise", image.GetProperty("alt").GetString());
        Assert.Equal(blob.Cid, image.GetProperty("image").GetProperty("ref").GetProperty("$link").GetString());
        Assert.Equal((60, 40), (image.GetProperty("aspectRatio").GetProperty("width").GetInt32(), image.GetProperty("aspectRatio").GetProperty("height").GetInt32()));

        var post = Assert.Single(SandboxPostListing.List(_server.State, "bluesky"), p => p.Id == outcome.ExternalId);
        Assert.Equal(("Coloured noise", "image/png", 60, 40), (post.Images[0].Alt, post.Images[0].MediaType, post.Images[0].Width, post.Images[0].Height));
    }

    [Fact]
    public async Task PublishAsync_ImageOverTheLimit_IsFittedAndAccepted()
    {
        var (account, user) = NewAccount("big");
        var big = TestImages.Noise(900, 700, SKEncodedImageFormat.Png);
        Assert.True(big.Length > BlueskyBlobs.ImageMaxSize);

        var outcome = await _adapter.PublishAsync(_images.Request(StoredImages.Post("Big.", _images.Image(big, "")), account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var blob = Assert.Single(_server.State.Bluesky.Blobs.All, b => b.Did == user.Did);
        Assert.True(blob.Bytes.Length <= 1_000_000);
        Assert.Equal("image/jpeg", blob.MimeType);
        Assert.Equal(900.0 / 700, (double)blob.Width / blob.Height, 2);
    }

    [Fact]
    public async Task PublishAsync_CreateFailsTransientlyAfterTheUpload_RetryReusesTheBlob()
    {
        var (account, user) = NewAccount("retry");
        var content = StoredImages.Post("Once.", _images.Image(TestImages.Noise(30, 30), "Noise"));
        _server.State.Faults = new SandboxFaults { RateLimitRate = 1, PathContains = "createRecord" };
        PublishOutcome first;
        try
        {
            first = await _adapter.PublishAsync(_images.Request(content, account));
        }
        finally
        {
            _server.State.Faults = SandboxFaults.None;
        }

        Assert.Equal(PublishOutcomeKind.RateLimited, first.Kind);
        var uploaded = Assert.Single(_images.Uploaded);

        var second = await _adapter.PublishAsync(_images.Request(content, account) with { UploadedMedia = [uploaded] });

        Assert.True(second.Kind == PublishOutcomeKind.Published, second.Error);
        Assert.Single(_server.Requests.For("bluesky"), r => r.Path.EndsWith("uploadBlob", StringComparison.Ordinal));
        Assert.Single(_server.State.Bluesky.Blobs.All, b => b.Did == user.Did && b.Permanent);
    }

    [Fact]
    public async Task Sandbox_BlobOfAnotherRepository_IsNotFound()
    {
        var (owner, _) = NewAccount("owner");
        await _adapter.PublishAsync(_images.Request(StoredImages.Post("Mine.", _images.Image(TestImages.Noise(10, 10), "x")), owner));
        var (thief, _) = NewAccount("thief");
        var content = StoredImages.Post("Not mine.", _images.Image(TestImages.Noise(12, 12), "y"));
        var stolen = _images.Uploaded[^1] with { Image = 0, Sha256 = content.Images[0].Sha256!, UploadedAt = _clock.GetUtcNow() };

        var outcome = await _adapter.PublishAsync(_images.Request(content, thief) with { UploadedMedia = [stolen] });

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("Could not find blob", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FiveImagesAndAMissingAlt_Refused()
    {
        var (account, _) = NewAccount("validate");
        var content = StoredImages.Post("Five.", [.. Enumerable.Range(0, 5).Select(i => _images.Image(TestImages.Noise(8, 8, seed: i), i == 0 ? null : "x"))]);

        var problems = _adapter.Validate(content, account);

        Assert.Contains(problems, p => p.Field == "images" && p.Message.Contains("at most 4", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "images[0].alt" && p.Platform == "bluesky");
    }

    private (Account Account, BlueskyAccount User) NewAccount(string name)
    {
        var user = _server.State.Bluesky.AddAccount($"{name}.bsky.social", $"{name}-pass-word-1234");
        return (new Account
        {
            Platform = "bluesky",
            DisplayName = user.Handle,
            Credentials = new AccountCredentials { ["identifier"] = user.Handle, ["app_password"] = user.AppPassword },
            BaseUrl = _server.PlatformBaseUrl("bluesky"),
        }, user);
    }
}
