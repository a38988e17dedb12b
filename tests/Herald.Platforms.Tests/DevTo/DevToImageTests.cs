using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms.Tests.Media;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Herald.Platforms.Tests.DevTo;

/// <summary>
/// Images on Dev.to over real HTTP: Forem has no upload, so the adapter writes the images into the article's Markdown
/// by public URL (a loopback web server answering <c>/media/{sha256}</c> with the code Herald's server runs, or the
/// image's own URL), and refuses a local image when there is no public base URL.
/// </summary>
public sealed class DevToImageTests : IClassFixture<SandboxFixture>, IAsyncLifetime
{
    private readonly SandboxFixture _fixture;
    private PublicMediaHost _host = null!;
    private ServiceProvider _services = null!;
    private IPlatformAdapter _adapter = null!;

    public DevToImageTests(SandboxFixture fixture) => _fixture = fixture;

    private SandboxServer Server => _fixture.Server;

    public async Task InitializeAsync()
    {
        _host = await PublicMediaHost.StartAsync();
        _services = Build(_host.BaseUrl);
        _adapter = _services.GetRequiredService<PlatformRegistry>().Resolve("devto");
    }

    public async Task DisposeAsync()
    {
        Server.State.Faults = SandboxFaults.None;
        await _services.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task PublishAsync_TwoImages_MarkdownImagesByPublicUrlAfterTheBodyBeforeTheFooter()
    {
        var (account, key) = NewAccount("two", new() { ["footer"] = "*Written by Herald.*" });
        var first = Image(TestImages.Noise(40, 30, SKEncodedImageFormat.Png), "A chart [draft]");
        var second = Image(TestImages.Noise(20, 20), "");
        var content = new Content { Title = "Two images article", Body = "The body.", Images = [first, second], CoverImage = new Uri("https://blog.example.com/cover.png") };

        var outcome = await _adapter.PublishAsync(Request(content, account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var sent = Assert.Single(Server.Requests.For("devto"), r => r.Header("api-key") == key);
        Assert.Equal(_adapter.Render(content, account).Body, sent.Body);
        using var body = JsonDocument.Parse(sent.Body);
        var article = body.RootElement.GetProperty("article");
        var firstUrl = $"{_host.BaseUrl}media/{first.Sha256}?fit=devto";
        var secondUrl = $"{_host.BaseUrl}media/{second.Sha256}?fit=devto";
        Assert.Equal(
            $"The body.\n\n![A chart \\[draft\\]](<{firstUrl}>)\n\n![](<{secondUrl}>)\n\n---\n\n*Written by Herald.*\n",
            article.GetProperty("body_markdown").GetString());
        Assert.Equal("https://blog.example.com/cover.png", article.GetProperty("main_image").GetString());

        // The sandbox shows the cover and the images with their alt text.
        var stored = Assert.Single(Server.State.DevTo.Articles, a => a.Title == "Two images article");
        var listed = Assert.Single(SandboxPostListing.List(Server.State, "devto"), p => p.Id == stored.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([("", "https://blog.example.com/cover.png"), ("A chart [draft]", firstUrl), ("", secondUrl)], listed.Images.Select(i => (i.Alt, i.Path)));
        using var http = new HttpClient();
        var page = await http.GetStringAsync(new Uri(Server.BaseAddress, $"/_sandbox/post?platform=devto&id={listed.Id}"));
        Assert.Contains($"<img src=\"{System.Net.WebUtility.HtmlEncode(firstUrl)}\" alt=\"A chart [draft]\"", page, StringComparison.Ordinal);

        // The URL Forem is given serves the image, re-encoded without metadata.
        using var served = await http.GetAsync(new Uri(firstUrl));
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        using var decoded = SKBitmap.Decode(await served.Content.ReadAsByteArrayAsync());
        Assert.Equal((40, 30), (decoded.Width, decoded.Height));
    }

    [Fact]
    public async Task PublishAsync_RemoteImage_KeepsItsOwnUrl()
    {
        var (account, key) = NewAccount("remote");
        var jpeg = TestImages.Noise(30, 20);
        var url = _host.Remote("photo.jpg", jpeg);
        var image = _host.Images.Image(jpeg, "From the web") with { Source = url.AbsoluteUri };

        var outcome = await _adapter.PublishAsync(Request(Article("Remote image article", image), account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var sent = Assert.Single(Server.Requests.For("devto"), r => r.Header("api-key") == key);
        Assert.Contains($"![From the web](<{url.AbsoluteUri}>)", JsonDocument.Parse(sent.Body).RootElement.GetProperty("article").GetProperty("body_markdown").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _host.CountOf("/media/"));
    }

    [Fact]
    public async Task PublicUrl_ImageOverTheLimit_ServedFittedWithinTenMegabytes()
    {
        var big = TestImages.Noise(2000, 1700, SKEncodedImageFormat.Png);
        Assert.True(big.LongLength > 10_000_000, $"{big.Length} bytes");
        var image = Image(big, "Noise");

        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync(new Uri(_host.BaseUrl, $"media/{image.Sha256}?fit=devto"));

        Assert.True(bytes.LongLength <= 10_000_000, $"{bytes.LongLength} bytes");
        using var decoded = SKBitmap.Decode(bytes);
        Assert.InRange(decoded.Width / (double)decoded.Height, 2000 / 1700.0 - 0.01, 2000 / 1700.0 + 0.01);
    }

    [Fact]
    public async Task PublishAsync_CreateAnswerLost_FoundByItsBodyWithTheImagesNeverSentTwice()
    {
        var (account, key) = NewAccount("lost");
        var content = Article("Lost answer image article", Image(TestImages.Noise(12, 12), "Noise"));

        Server.State.Faults = new SandboxFaults { ServerErrorAfterCommitRate = 1, PathContains = "/articles" };
        PublishOutcome outcome;
        try
        {
            outcome = await _adapter.PublishAsync(Request(content, account));
        }
        finally
        {
            Server.State.Faults = SandboxFaults.None;
        }

        var lookup = await _adapter.FindExistingAsync(Request(content, account) with { UncertainSince = _fixture.Clock.GetUtcNow() });

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        var stored = Assert.Single(Server.State.DevTo.Articles, a => a.Title == "Lost answer image article");
        Assert.Equal(ExistingPostState.Found, lookup.State);
        Assert.Equal(stored.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), lookup.ExternalId);
        Assert.Single(Server.Requests.For("devto"), r => r.Header("api-key") == key && r.Method == "POST");
    }

    [Fact]
    public void Validate_LocalImageWithoutPublicBaseUrl_RefusedSayingDevToHasNoUploadAndHowToFix()
    {
        using var services = Build(publicBase: null);
        var adapter = services.GetRequiredService<PlatformRegistry>().Resolve("devto");
        var (account, key) = NewAccount("nobase");
        var content = Article("No base article", new ContentImage { Source = "/home/me/diagram.png", Alt = "A diagram" }, new ContentImage { Source = "https://example.com/a.png", Alt = "" });

        var problems = adapter.Validate(content, account);

        var problem = Assert.Single(problems);
        Assert.Equal("images[0].src", problem.Field);
        Assert.Contains("diagram.png", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Dev.to has no image upload API", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Herald:PublicBaseUrl", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Server.Requests.For("devto"), r => r.Header("api-key") == key);
    }

    [Fact]
    public void Validate_MissingAltIsFineOverlongAltIsNot()
    {
        var (account, _) = NewAccount("alt");
        var content = Article("Alt article", Image(TestImages.Noise(8, 8, seed: 1), null), Image(TestImages.Noise(8, 8, seed: 2), new string('x', 1_001)));

        var problem = Assert.Single(_adapter.Validate(content, account));

        Assert.Equal("images[1].alt", problem.Field);
        Assert.Contains("at most 1,000", problem.Message, StringComparison.Ordinal);
    }

    private ServiceProvider Build(Uri? publicBase)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_fixture.Clock);
        services.AddHerald(o => o.PublicBaseUrl = publicBase?.AbsoluteUri).AddDevTo();
        return services.BuildServiceProvider();
    }

    private ContentImage Image(byte[] bytes, string? alt) => _host.Images.Image(bytes, alt);

    private static Content Article(string title, params ContentImage[] images) => new() { Title = title, Body = "The body.", Images = images };

    private PublishRequest Request(Content content, Account account) => _host.Images.Request(content, account);

    private (Account Account, string Key) NewAccount(string name, Dictionary<string, string>? settings = null)
    {
        var key = $"key-img-{name}-{Guid.NewGuid():N}";
        Server.State.DevTo.AddUser(key, $"img_{name}");
        return (new Account
        {
            Platform = "devto",
            DisplayName = "Dev.to images",
            Credentials = new AccountCredentials { ["api_key"] = key },
            BaseUrl = Server.PlatformBaseUrl("devto"),
            Settings = new Dictionary<string, string>(settings ?? [], StringComparer.OrdinalIgnoreCase),
        }, key);
    }
}
