using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms.Mastodon;
using Herald.Platforms.Tests.Media;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Sandbox.Mastodon;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Herald.Platforms.Tests.Mastodon;

/// <summary>
/// Images on Mastodon over real HTTP against the sandbox instance: the uploads, the alt text, the wait for
/// processing, fitting, and the reuse of an upload by a retry. Each test posts as its own sandbox account.
/// </summary>
public sealed class MastodonImageTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly ServiceProvider _services;
    private readonly IPlatformAdapter _adapter;
    private readonly StoredImages _images = new();

    public MastodonImageTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fixture.Clock);
        services.AddHerald().AddMastodon(o => o.MediaPollInterval = TimeSpan.Zero);
        _services = services.BuildServiceProvider();
        _adapter = _services.GetRequiredService<PlatformRegistry>().Resolve("mastodon");
    }

    private SandboxServer Server => _fixture.Server;

    public void Dispose()
    {
        Server.State.Options.Mastodon.MediaProcessingPolls = 0;
        _services.Dispose();
    }

    [Fact]
    public async Task PublishAsync_TwoImages_UploadsEachWithItsAltTextThenAttachesThem()
    {
        var (account, sandboxAccount) = NewAccount("images");
        var png = TestImages.Noise(40, 30, SKEncodedImageFormat.Png);
        var jpeg = TestImages.Noise(64, 48);
        var content = Post("Two pictures.", Image(png, "A square of coloured noise"), Image(jpeg, ""));

        var outcome = await _adapter.PublishAsync(Request(content, account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var sent = Sent(sandboxAccount);
        Assert.Equal(["POST /mastodon/api/v2/media", "POST /mastodon/api/v2/media", "POST /mastodon/api/v1/statuses"], sent.Select(r => $"{r.Method} {r.Path}").ToList());
        Assert.StartsWith("multipart/form-data", sent[0].Header("Content-Type"), StringComparison.Ordinal);
        Assert.Contains("name=description", sent[0].Body, StringComparison.Ordinal);
        Assert.Contains("A square of coloured noise", sent[0].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("name=description", sent[1].Body, StringComparison.Ordinal);

        var media = Server.State.Mastodon.Media.All.Where(m => m.Account == sandboxAccount).ToList();
        using var status = JsonDocument.Parse(sent[2].Body);
        Assert.Equal(media.Select(m => m.Id), status.RootElement.GetProperty("media_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Two pictures.", status.RootElement.GetProperty("status").GetString());

        var posted = Assert.Single(Server.State.Mastodon.Statuses, s => s.Account == sandboxAccount);
        Assert.Equal(["A square of coloured noise", ""], posted.Media.Select(m => m.Description));
        Assert.Equal([("image/png", 40, 30), ("image/jpeg", 64, 48)], posted.Media.Select(m => (m.MediaType, m.Width, m.Height)));
        Assert.Equal([(0, 0), (0, 1)], _images.Uploaded.Select(u => (u.Part, u.Image)));
        Assert.Equal(content.Images.Select(i => i.Sha256), _images.Uploaded.Select(u => u.Sha256));

        var listed = Assert.Single(SandboxPostListing.List(Server.State, "mastodon"), p => p.Id == posted.Id);
        Assert.Equal("A square of coloured noise", listed.Images[0].Alt);

        // What a person sees: the sandbox's page shows the image with its alt text, and serves its bytes.
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        var page = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains($"<img src=\"{listed.Images[0].Path}\" alt=\"A square of coloured noise\"", page, StringComparison.Ordinal);
        Assert.Equal(posted.Media[0].Bytes, await http.GetByteArrayAsync(new Uri(listed.Images[0].Path, UriKind.Relative)));
    }

    [Fact]
    public async Task PublishAsync_ImageOverTheSizeLimit_IsFittedAndAccepted()
    {
        var (account, sandboxAccount) = NewAccount("big");
        var big = TestImages.Noise(2500, 2000, SKEncodedImageFormat.Png);
        Assert.True(big.LongLength >= MastodonMediaState.ImageLimit, $"{big.Length} bytes");

        var outcome = await _adapter.PublishAsync(Request(Post("A big one.", Image(big, "Noise")), account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var media = Assert.Single(Assert.Single(Server.State.Mastodon.Statuses, s => s.Account == sandboxAccount).Media);
        Assert.True(media.Bytes.LongLength < MastodonMediaState.ImageLimit);
        Assert.Equal(("image/jpeg", 2500, 2000), (media.MediaType, media.Width, media.Height));
    }

    [Fact]
    public async Task PublishAsync_UploadStillProcessing_ReadsItUntilReadyThenPosts()
    {
        var (account, sandboxAccount) = NewAccount("processing");
        Server.State.Options.Mastodon.MediaProcessingPolls = 2;

        var outcome = await _adapter.PublishAsync(Request(Post("Wait for it.", Image(TestImages.Noise(20, 20), "Noise")), account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var calls = Server.Requests.For("mastodon").Where(r => r.Header("Authorization") == $"Bearer {sandboxAccount.AccessToken}" && r.Path != "/mastodon/api/v2/instance")
            .Select(r => $"{r.Method} {r.Path} {r.StatusCode}").ToList();
        var id = Assert.Single(Server.State.Mastodon.Media.All, m => m.Account == sandboxAccount).Id;
        Assert.Equal(
            ["POST /mastodon/api/v2/media 202", $"GET /mastodon/api/v1/media/{id} 206", $"GET /mastodon/api/v1/media/{id} 206", $"GET /mastodon/api/v1/media/{id} 200", "POST /mastodon/api/v1/statuses 200"],
            calls);
    }

    [Fact]
    public async Task PublishAsync_UploadSucceedsThenCreateFailsTransiently_RetryReusesTheUpload()
    {
        var (account, sandboxAccount) = NewAccount("retry");
        var content = Post("Once.", Image(TestImages.Noise(30, 30), "Noise"));

        Server.State.Faults = new SandboxFaults { ServerErrorRate = 1, PathContains = "/api/v1/statuses" };
        PublishOutcome first;
        try
        {
            first = await _adapter.PublishAsync(Request(content, account));
        }
        finally
        {
            Server.State.Faults = SandboxFaults.None;
        }

        Assert.NotEqual(PublishOutcomeKind.Published, first.Kind);
        Assert.Single(_images.Uploaded);

        var second = await _adapter.PublishAsync(Request(content, account) with { UploadedMedia = [.. _images.Uploaded] });

        Assert.Equal(PublishOutcomeKind.Published, second.Kind);
        Assert.Single(Server.State.Mastodon.Media.All, m => m.Account == sandboxAccount);
        Assert.Single(Sent(sandboxAccount), r => r.Path == "/mastodon/api/v2/media");
        var status = Assert.Single(Server.State.Mastodon.Statuses, s => s.Account == sandboxAccount);
        Assert.Equal(_images.Uploaded[0].RemoteRef, Assert.Single(status.Media).Id);
    }

    [Fact]
    public async Task PublishAsync_AnotherAccountsMediaId_RefusedByTheSandbox()
    {
        var (owner, ownerAccount) = NewAccount("owner");
        await _adapter.PublishAsync(Request(Post("Mine.", Image(TestImages.Noise(10, 10), "Mine")), owner));
        var (thief, thiefAccount) = NewAccount("thief");
        var content = Post("Not mine.", Image(TestImages.Noise(12, 12), "Not mine"));
        var stolen = new UploadedMedia(0, 0, content.Images[0].Sha256!, Assert.Single(Server.State.Mastodon.Media.All, m => m.Account == ownerAccount).Id, DateTimeOffset.UnixEpoch);

        var outcome = await _adapter.PublishAsync(Request(content, thief) with { UploadedMedia = [stolen] });

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("not found or already attached", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Server.State.Mastodon.Statuses, s => s.Account == thiefAccount);
    }

    [Fact]
    public void Validate_TooManyImagesAndMissingAlt_NamedBeforeAnythingIsSent()
    {
        var (account, _) = NewAccount("validate");
        var content = Post("Five.", [.. Enumerable.Range(0, 5).Select(i => Image(TestImages.Noise(8, 8, seed: i), i == 3 ? null : "x"))]);

        var problems = _adapter.Validate(content, account);

        Assert.Contains(problems, p => p.Field == "images" && p.Message.Contains("at most 4", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "images[3].alt");
    }

    [Fact]
    public void Render_ShowsWhereTheImageIdsGo()
    {
        var (account, _) = NewAccount("render");

        var payload = _adapter.Render(Post("Preview.", Image(TestImages.Noise(8, 8), "x")), account);

        Assert.Contains("\"media_ids\":[\"{id of image 1}\"]", payload.Body, StringComparison.Ordinal);
    }

    private ContentImage Image(byte[] bytes, string? alt) => _images.Image(bytes, alt);

    private static Content Post(string text, params ContentImage[] images) => StoredImages.Post(text, images);

    private PublishRequest Request(Content content, Account account) => _images.Request(content, account);

    private List<RecordedRequest> Sent(MastodonAccount account) =>
        Server.Requests.For("mastodon").Where(r => r.Header("Authorization") == $"Bearer {account.AccessToken}" && r.Method == "POST").ToList();

    private (Account Account, MastodonAccount SandboxAccount) NewAccount(string name)
    {
        var sandboxAccount = Server.State.Mastodon.AddAccount($"token-{name}-{Guid.NewGuid():N}", name);
        return (new Account
        {
            Platform = "mastodon",
            DisplayName = $"Mastodon {name}",
            Credentials = new AccountCredentials { ["access_token"] = sandboxAccount.AccessToken },
            BaseUrl = Server.PlatformBaseUrl("mastodon"),
        }, sandboxAccount);
    }
}
