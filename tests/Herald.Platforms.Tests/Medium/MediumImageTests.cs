using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms.Tests.Media;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Sandbox.Medium;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Herald.Platforms.Tests.Medium;

/// <summary>
/// Images on Medium over real HTTP against the sandbox: <c>POST /v1/images</c> per image, the returned URLs in the
/// article's Markdown under the title with their alt text, fitting under 5,000,000 bytes, the reuse of an upload by a
/// retry, and the create whose answer is lost. Each test posts as its own sandbox user.
/// </summary>
public sealed class MediumImageTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly ServiceProvider _services;
    private readonly IPlatformAdapter _adapter;
    private readonly StoredImages _images = new();

    public MediumImageTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fixture.Clock);
        services.AddHerald().AddMedium();
        _services = services.BuildServiceProvider();
        _adapter = _services.GetRequiredService<PlatformRegistry>().Resolve("medium");
    }

    private SandboxServer Server => _fixture.Server;

    public void Dispose()
    {
        Server.State.Faults = SandboxFaults.None;
        _services.Dispose();
    }

    [Fact]
    public async Task PublishAsync_CoverAndTwoImages_UploadsEachThenWritesThemUnderTheTitle()
    {
        var (account, user) = NewAccount("two");
        var png = TestImages.Noise(40, 30, SKEncodedImageFormat.Png);
        var jpeg = TestImages.Noise(64, 48);
        var content = Article("Two pictures", Image(png, "A square of [coloured] noise"), Image(jpeg, "More noise, wider"));
        content = new Content { Title = content.Title, Body = content.Body, Images = content.Images, CoverImage = new Uri("https://blog.example.com/cover.jpg") };

        var outcome = await _adapter.PublishAsync(Request(content, account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var sent = Sent(user);
        Assert.Equal(
            ["GET /medium/v1/me", "POST /medium/v1/images", "POST /medium/v1/images", $"POST /medium/v1/users/{user.Id}/posts"],
            sent.Select(r => $"{r.Method} {r.Path}").ToList());
        Assert.StartsWith("multipart/form-data", sent[1].Header("Content-Type"), StringComparison.Ordinal);
        Assert.Contains("name=image", sent[1].Body, StringComparison.Ordinal);
        Assert.Contains("Content-Type: image/png", sent[1].Body, StringComparison.Ordinal);
        Assert.Contains("Content-Type: image/jpeg", sent[2].Body, StringComparison.Ordinal);

        var uploads = Server.State.Medium.Images.All.Where(i => i.OwnerId == user.Id).ToList();
        Assert.Equal(2, uploads.Count);
        var urls = _images.Uploaded.Select(u => u.RemoteRef).ToList();
        Assert.Equal([(0, 0), (0, 1)], _images.Uploaded.Select(u => (u.Part, u.Image)));
        using (var create = JsonDocument.Parse(sent[3].Body))
        {
            Assert.Equal(
                $"# Two pictures\n\n![](https://blog.example.com/cover.jpg)\n\n![A square of \\[coloured\\] noise]({urls[0]})\n\n![More noise, wider]({urls[1]})\n\n" +
                "The body of the article.\n",
                create.RootElement.GetProperty("content").GetString());
        }

        var post = Assert.Single(Server.State.Medium.Posts, p => p.AuthorId == user.Id);
        Assert.Equal(["", "A square of [coloured] noise", "More noise, wider"], post.Images.Select(i => i.Alt));
        Assert.Null(post.Images[0].Upload);
        Assert.Equal(uploads.Select(u => u.Md5), post.Images.Skip(1).Select(i => i.Upload!.Md5));

        // What a person sees: the sandbox's page shows the images with their alt text, and serves their bytes.
        var listed = Assert.Single(SandboxPostListing.List(Server.State, "medium"), p => p.Id == post.Id);
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        var page = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains($"<img src=\"{listed.Images[2].Path}\" alt=\"More noise, wider\"", page, StringComparison.Ordinal);
        Assert.Equal(uploads[1].Bytes, await http.GetByteArrayAsync(new Uri(urls[1])));
        Assert.Equal(("image/png", 40, 30), (listed.Images[1].MediaType, listed.Images[1].Width, listed.Images[1].Height));
    }

    [Fact]
    public async Task PublishAsync_ImageOverFiveMegabytes_IsFittedAndAccepted()
    {
        var (account, user) = NewAccount("big");
        var big = TestImages.Noise(1800, 1400, SKEncodedImageFormat.Png);
        Assert.True(big.LongLength > MediumImageState.ImageLimit, $"{big.Length} bytes");

        var outcome = await _adapter.PublishAsync(Request(Article("A big one", Image(big, "Noise")), account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var upload = Assert.Single(Assert.Single(Server.State.Medium.Posts, p => p.AuthorId == user.Id).Images).Upload!;
        Assert.True(upload.Bytes.LongLength <= 5_000_000, $"{upload.Bytes.LongLength} bytes");
        Assert.Equal("image/jpeg", upload.MediaType);
        Assert.InRange(upload.Width / (double)upload.Height, 1800 / 1400.0 - 0.01, 1800 / 1400.0 + 0.01);
    }

    [Fact]
    public async Task PublishAsync_CreateRateLimitedAfterTheUpload_RetryReusesTheStoredUrl()
    {
        var (account, user) = NewAccount("retry");
        var content = Article("Once", Image(TestImages.Noise(30, 30), "Noise"));

        var first = await WithFaultsAsync(new SandboxFaults { RateLimitRate = 1, RetryAfterSeconds = 5, PathContains = "/posts" }, Request(content, account));

        Assert.Equal(PublishOutcomeKind.RateLimited, first.Kind);
        var uploaded = Assert.Single(_images.Uploaded);

        var second = await _adapter.PublishAsync(Request(content, account) with { UploadedMedia = [.. _images.Uploaded] });

        Assert.True(second.Kind == PublishOutcomeKind.Published, second.Error);
        Assert.Single(Sent(user), r => r.Path == "/medium/v1/images");
        var post = Assert.Single(Server.State.Medium.Posts, p => p.AuthorId == user.Id);
        Assert.Contains($"![Noise]({uploaded.RemoteRef})", post.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_CreateAnswerLost_UnknownAndNeverSentAgainBlindly()
    {
        var (account, user) = NewAccount("lost");
        var content = Article("Answer lost", Image(TestImages.Noise(22, 22), "Noise"));

        var outcome = await WithFaultsAsync(new SandboxFaults { ServerErrorAfterCommitRate = 1, PathContains = "/posts" }, Request(content, account));
        var lookup = await _adapter.FindExistingAsync(Request(content, account) with { UploadedMedia = [.. _images.Uploaded] });

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Equal(ExistingPostState.CannotTell, lookup.State);
        Assert.Single(Server.State.Medium.Posts, p => p.AuthorId == user.Id);
        Assert.Single(Sent(user), r => r.Path.EndsWith("/posts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublishAsync_TokenWithoutUploadImageScope_RefusedClearlyAndNothingPosted()
    {
        var user = Server.State.Medium.AddUser($"medium-noscope-{Guid.NewGuid():N}", $"noscope{Guid.NewGuid():N}"[..12], canUploadImages: false);
        var account = MediumAccount(user.Token);

        var outcome = await _adapter.PublishAsync(Request(Article("No scope", Image(TestImages.Noise(12, 12), "Noise")), account));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("uploadImage", outcome.Error, StringComparison.Ordinal);
        Assert.StartsWith("Image 1", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Server.State.Medium.Posts, p => p.AuthorId == user.Id);
    }

    [Fact]
    public void Validate_TooManyMissingAndOverlongAlt_NamedBeforeAnythingIsSent()
    {
        var (account, user) = NewAccount("validate");
        var images = Enumerable.Range(0, 21).Select(i => Image(TestImages.Noise(8, 8, seed: i), i == 2 ? null : i == 3 ? new string('x', 1_001) : "ok")).ToArray();

        var problems = _adapter.Validate(Article("Many", images), account);

        Assert.Contains(problems, p => p.Field == "images" && p.Message.Contains("Medium takes at most 20", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "images[2].alt" && p.Message.Contains("is required on Medium", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "images[3].alt" && p.Message.Contains("at most 1,000", StringComparison.Ordinal));
        Assert.Empty(Sent(user));
    }

    [Fact]
    public void Render_ShowsWhereTheImageUrlsGo()
    {
        var (account, _) = NewAccount("render");

        var payload = _adapter.Render(Article("Preview", Image(TestImages.Noise(8, 8), "x")), account);

        Assert.Contains("![x]({url of image 1})", payload.Body, StringComparison.Ordinal);
    }

    private Task<PublishOutcome> WithFaultsAsync(SandboxFaults faults, PublishRequest request) =>
        Server.WithFaultsAsync(faults, () => _adapter.PublishAsync(request));

    private ContentImage Image(byte[] bytes, string? alt) => _images.Image(bytes, alt);

    private static Content Article(string title, params ContentImage[] images) =>
        new() { Title = title, Body = "The body of the article.", Images = images };

    private PublishRequest Request(Content content, Account account) => _images.Request(content, account);

    private List<RecordedRequest> Sent(MediumSandboxUser user) =>
        [.. Server.Requests.For("medium").Where(r => r.Header("Authorization") == $"Bearer {user.Token}")];

    private (Account Account, MediumSandboxUser User) NewAccount(string name)
    {
        var user = Server.State.Medium.AddUser($"medium-{name}-{Guid.NewGuid():N}", $"{name}{Guid.NewGuid():N}"[..12]);
        return (MediumAccount(user.Token), user);
    }

    private Account MediumAccount(string token) => new()
    {
        Platform = "medium",
        DisplayName = "Medium images",
        Credentials = new AccountCredentials { ["access_token"] = token },
        BaseUrl = Server.PlatformBaseUrl("medium"),
    };
}
