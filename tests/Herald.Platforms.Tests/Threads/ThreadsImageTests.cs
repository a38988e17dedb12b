using System.Net;
using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms.Tests.Media;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Sandbox.Threads;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Herald.Platforms.Tests.Threads;

/// <summary>
/// Images on Threads over real HTTP: the adapter gives the sandbox a public URL (a loopback web server answering
/// <c>/media/{sha256}</c> with the code Herald's server runs, or an image's own URL), and the sandbox downloads it
/// as Threads does. One image is an IMAGE container, two or more a CAROUSEL of items; containers are reused by a
/// retry. Each test posts as its own sandbox profile.
/// </summary>
public sealed class ThreadsImageTests : IClassFixture<SandboxFixture>, IAsyncLifetime
{
    private readonly SandboxFixture _fixture;
    private PublicMediaHost _host = null!;
    private ServiceProvider _services = null!;
    private IPlatformAdapter _adapter = null!;

    public ThreadsImageTests(SandboxFixture fixture) => _fixture = fixture;

    private SandboxServer Server => _fixture.Server;

    private ThreadsState Threads => Server.State.Threads;

    public async Task InitializeAsync()
    {
        _host = await PublicMediaHost.StartAsync();
        _services = Build(_host.BaseUrl);
        _adapter = _services.GetRequiredService<PlatformRegistry>().Resolve("threads");
    }

    public async Task DisposeAsync()
    {
        Server.State.Faults = SandboxFaults.None;
        await _services.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task PublishAsync_OneImage_AnImageContainerWithItsPublicUrlAndAltTextThenPublish()
    {
        var (account, token, user) = NewAccount("one");
        var png = TestImages.Noise(40, 30, SKEncodedImageFormat.Png);
        var content = Post("A picture.", Image(png, "A square of coloured noise"));

        var outcome = await _adapter.PublishAsync(Request(content, account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var sha = content.Images[0].Sha256!;
        var url = $"{_host.BaseUrl}media/{sha}?fit=threads";
        var container = Assert.Single(Threads.Containers, c => c.UserId == user.Id);
        var post = Assert.Single(Threads.Posts, p => p.UserId == user.Id);
        var prefix = $"/threads/v1.0/{user.Id}";
        var sent = Sent(token);
        Assert.Equal(
            [$"GET {prefix}/threads_publishing_limit", $"POST {prefix}/threads", $"GET /threads/v1.0/{container.Id}", $"POST {prefix}/threads_publish", $"GET /threads/v1.0/{post.Id}"],
            sent.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal(
            $"media_type=IMAGE&image_url={Uri.EscapeDataString(url)}&alt_text=A+square+of+coloured+noise&text=A+picture.&access_token={token}", sent[1].Body);
        Assert.Equal(_adapter.Render(content, account).Body + $"&access_token={token}", sent[1].Body);
        Assert.Equal([$"/media/{sha}?fit=threads"], _host.Requests);

        Assert.Equal("IMAGE", post.MediaType);
        var image = Assert.Single(post.Images);
        Assert.Equal(("A square of coloured noise", "image/png", 40, 30, url), (image.AltText, image.MediaType, image.Width, image.Height, image.Url));

        // What a person sees: the sandbox's page shows the image with its alt text and serves its bytes.
        var listed = Assert.Single(SandboxPostListing.List(Server.State, "threads"), p => p.Id == post.Id);
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        var page = await http.GetStringAsync(new Uri($"/_sandbox/post?platform=threads&id={post.Id}", UriKind.Relative));
        Assert.Contains($"<img src=\"{listed.Images[0].Path}\" alt=\"A square of coloured noise\"", page, StringComparison.Ordinal);
        Assert.Equal(image.Bytes, await http.GetByteArrayAsync(new Uri(listed.Images[0].Path, UriKind.Relative)));
        using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri("/_sandbox/posts", UriKind.Relative)));
        Assert.Contains("A square of coloured noise", json.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_ThreeImages_CarouselItemsEachWithAltTextThenTheCarouselNamingThemInOrder()
    {
        var (account, token, user) = NewAccount("carousel");
        var content = Post("Three pictures.", Image(TestImages.Noise(20, 20, seed: 1), "First"), Image(TestImages.Noise(21, 20, seed: 2), ""), Image(TestImages.Noise(22, 20, seed: 3), "Third"));

        var outcome = await _adapter.PublishAsync(Request(content, account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var creates = Creates(token);
        Assert.Equal(4, creates.Count);
        for (var i = 0; i < 3; i++)
        {
            var url = Uri.EscapeDataString($"{_host.BaseUrl}media/{content.Images[i].Sha256}?fit=threads");
            var alt = content.Images[i].Alt is { Length: > 0 } a ? $"&alt_text={a}" : "";
            Assert.Equal($"media_type=IMAGE&image_url={url}&is_carousel_item=true{alt}&access_token={token}", creates[i].Body);
        }

        var items = Threads.Containers.Where(c => c.UserId == user.Id && c.IsCarouselItem).ToList();
        var carousel = Assert.Single(Threads.Containers, c => c.UserId == user.Id && c.MediaType == "CAROUSEL");
        Assert.Equal($"media_type=CAROUSEL&children={string.Join("%2C", carousel.Children)}&text=Three+pictures.&access_token={token}", creates[3].Body);
        Assert.Equal(3, carousel.Children.Count);
        Assert.Single(Sent(token), r => r.Path.EndsWith("/threads_publish", StringComparison.Ordinal) && r.Body.Contains(carousel.Id, StringComparison.Ordinal));
        Assert.Equal(items.Select(i => i.Id), carousel.Children);

        var post = Assert.Single(Threads.Posts, p => p.UserId == user.Id);
        Assert.Equal("CAROUSEL_ALBUM", post.MediaType);
        Assert.Equal(["First", "", "Third"], post.Images.Select(i => i.AltText));
        Assert.Equal([20, 21, 22], post.Images.Select(i => i.Width));
        Assert.Equal([(0, 0), (0, 1), (0, 2)], _host.Images.Uploaded.Select(u => (u.Part, u.Image)));
    }

    [Fact]
    public async Task PublishAsync_Thread_ImagesOnTheFirstPartOnly()
    {
        var (account, _, user) = NewAccount("thread");
        var text = string.Join("\n\n", Enumerable.Range(1, 3).Select(i => $"Part {i}: " + string.Join(' ', Enumerable.Repeat($"word{i}", 60)) + "."));
        var content = Post(text, Image(TestImages.Noise(16, 16), "Noise"));

        var outcome = await _adapter.PublishAsync(Request(content, account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var posts = Threads.Posts.Where(p => p.UserId == user.Id).ToList();
        Assert.Equal(3, posts.Count);
        Assert.Equal([1, 0, 0], posts.Select(p => p.Images.Count));
        Assert.Equal(["IMAGE", "TEXT_POST", "TEXT_POST"], posts.Select(p => p.MediaType));
        Assert.Equal(posts[0].Id, posts[1].ReplyToId);
    }

    [Fact]
    public async Task PublishAsync_ImageOverEightMegabytes_ServedFittedAndAccepted()
    {
        var (account, _, user) = NewAccount("big");
        var big = TestImages.Noise(2000, 1300, SKEncodedImageFormat.Png);
        Assert.True(big.LongLength > ThreadsImageFetch.MaxBytes, $"{big.Length} bytes");

        var outcome = await _adapter.PublishAsync(Request(Post("A big one.", Image(big, "Noise")), account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var image = Assert.Single(Assert.Single(Threads.Posts, p => p.UserId == user.Id).Images);
        Assert.True(image.Bytes.LongLength <= 8_000_000, $"{image.Bytes.LongLength} bytes");
        Assert.Equal("image/jpeg", image.MediaType);
        Assert.InRange(image.Width / (double)image.Height, 2000 / 1300.0 - 0.01, 2000 / 1300.0 + 0.01);
    }

    [Fact]
    public async Task PublishAsync_RemoteJpeg_ThreadsGetsItsOwnUrlAndHeraldServesNothing()
    {
        var (account, token, user) = NewAccount("remote");
        var jpeg = TestImages.Noise(30, 20);
        var url = _host.Remote("photo.jpg", jpeg);
        var image = _host.Images.Image(jpeg, "From the web") with { Source = url.AbsoluteUri };

        var outcome = await _adapter.PublishAsync(Request(Post("Remote.", image), account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        Assert.Contains($"image_url={Uri.EscapeDataString(url.AbsoluteUri)}&", Creates(token)[0].Body, StringComparison.Ordinal);
        Assert.Equal(0, _host.CountOf("/media/"));
        Assert.Equal(jpeg, Assert.Single(Assert.Single(Threads.Posts, p => p.UserId == user.Id).Images).Bytes);
    }

    [Fact]
    public async Task PublishAsync_RemoteWebp_ThreadsDoesNotTakeIt_HeraldServesAFittedCopy()
    {
        var (account, token, user) = NewAccount("webp");
        var webp = TestImages.Noise(30, 20, SKEncodedImageFormat.Webp);
        var image = _host.Images.Image(webp, "A WebP") with { Source = _host.Remote("photo.webp", webp).AbsoluteUri };

        var outcome = await _adapter.PublishAsync(Request(Post("WebP.", image), account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        Assert.Contains(Uri.EscapeDataString($"media/{image.Sha256}?fit=threads"), Creates(token)[0].Body, StringComparison.Ordinal);
        Assert.Equal("image/jpeg", Assert.Single(Assert.Single(Threads.Posts, p => p.UserId == user.Id).Images).MediaType);
    }

    [Fact]
    public async Task PublishAsync_PublishFailsAfterTheContainer_RetryPublishesTheSameContainerAndThreadsDownloadsOnce()
    {
        var (account, token, user) = NewAccount("retry");
        var content = Post("Once.", Image(TestImages.Noise(18, 18), "Noise"));

        var first = await WithFaultsAsync(new SandboxFaults { ServerErrorRate = 1, PathContains = "/threads_publish" }, Request(content, account));

        Assert.Equal(PublishOutcomeKind.Transient, first.Kind);
        var kept = Assert.Single(_host.Images.Uploaded);
        Assert.DoesNotContain(Threads.Posts, p => p.UserId == user.Id);

        var second = await _adapter.PublishAsync(Request(content, account) with { UploadedMedia = [.. _host.Images.Uploaded] });

        Assert.True(second.Kind == PublishOutcomeKind.Published, second.Error);
        Assert.Single(Creates(token));
        Assert.Equal(1, _host.CountOf("/media/"));
        Assert.Equal(kept.RemoteRef, Assert.Single(Threads.Posts, p => p.UserId == user.Id).ContainerId);
    }

    [Fact]
    public async Task PublishAsync_CarouselPublishFails_RetryReusesTheItemsAndMakesOnlyANewCarousel()
    {
        var (account, token, user) = NewAccount("caretry");
        var content = Post("Two.", Image(TestImages.Noise(18, 18, seed: 5), "One"), Image(TestImages.Noise(19, 18, seed: 6), "Two"));

        var first = await WithFaultsAsync(new SandboxFaults { ServerErrorRate = 1, PathContains = "/threads_publish" }, Request(content, account));
        Assert.Equal(PublishOutcomeKind.Transient, first.Kind);

        var second = await _adapter.PublishAsync(Request(content, account) with { UploadedMedia = [.. _host.Images.Uploaded] });

        Assert.True(second.Kind == PublishOutcomeKind.Published, second.Error);
        Assert.Equal(2, Creates(token).Count(r => r.Body.Contains("is_carousel_item=true", StringComparison.Ordinal)));
        Assert.Equal(2, Creates(token).Count(r => r.Body.StartsWith("media_type=CAROUSEL", StringComparison.Ordinal)));
        Assert.Equal(2, _host.CountOf("/media/"));
        Assert.Equal(["One", "Two"], Assert.Single(Threads.Posts, p => p.UserId == user.Id).Images.Select(i => i.AltText));
    }

    [Fact]
    public async Task PublishAsync_PublishAnswerLostAfterItWentOut_ReconciledFromTheContainerNeverSentAgain()
    {
        var (account, token, user) = NewAccount("lost");
        var content = Post("Answer lost.", Image(TestImages.Noise(17, 17), "Noise"));

        var outcome = await WithFaultsAsync(new SandboxFaults { ServerErrorAfterCommitRate = 1, PathContains = "/threads_publish" }, Request(content, account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var post = Assert.Single(Threads.Posts, p => p.UserId == user.Id);
        Assert.Equal(post.Id, outcome.ExternalId);
        Assert.Single(Sent(token), r => r.Path.EndsWith("/threads_publish", StringComparison.Ordinal));
        Assert.Equal("Noise", Assert.Single(post.Images).AltText);
    }

    [Fact]
    public async Task PublishAsync_KeptContainerOlderThanThreadsKeepsIt_MadeAgain()
    {
        var (account, token, user) = NewAccount("stale");
        var content = Post("Stale.", Image(TestImages.Noise(15, 15), "Noise"));
        var stale = new UploadedMedia(0, 0, content.Images[0].Sha256!, "17800000000000000", _fixture.Clock.GetUtcNow() - TimeSpan.FromDays(2));

        var outcome = await _adapter.PublishAsync(Request(content, account) with { UploadedMedia = [stale] });

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        Assert.Single(Creates(token));
        Assert.NotEqual(stale.RemoteRef, Assert.Single(Threads.Posts, p => p.UserId == user.Id).ContainerId);
    }

    [Fact]
    public void Validate_TooManyMissingAltAndOverlongAlt_NamedBeforeAnythingIsSent()
    {
        var (account, token, _) = NewAccount("validate");
        var alts = Enumerable.Range(0, 21).Select(i => i switch { 2 => null, 3 => new string('x', 1_001), _ => "ok" }).ToList();
        var content = Post("Many.", [.. alts.Select((alt, i) => Image(TestImages.Noise(8, 8, seed: i), alt))]);

        var problems = _adapter.Validate(content, account);

        Assert.Contains(problems, p => p.Field == "images" && p.Message.Contains("Threads takes at most 20", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "images[2].alt" && p.Message.Contains("is required on Threads", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "images[3].alt" && p.Message.Contains("at most 1,000", StringComparison.Ordinal));
        Assert.Empty(Sent(token));
    }

    [Fact]
    public void Validate_LocalImageWithoutPublicBaseUrl_RefusedNamingTheSourceAndTheFix()
    {
        using var services = Build(publicBase: null);
        var adapter = services.GetRequiredService<PlatformRegistry>().Resolve("threads");
        var (account, _, _) = NewAccount("nobase");
        var local = new ContentImage { Source = "/home/me/photos/cat.png", Alt = "A cat" };
        var remote = new ContentImage { Source = "https://example.com/cat.jpg", Alt = "A cat" };

        var problems = adapter.Validate(Post("Cat.", local, remote), account);

        var problem = Assert.Single(problems);
        Assert.Equal("images[0].src", problem.Field);
        Assert.Contains("cat.png", problem.Message, StringComparison.Ordinal);
        Assert.Contains("give the image as an http(s) URL", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Herald:PublicBaseUrl", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_StoredImageWiderThanTenToOne_Refused()
    {
        var (account, _, _) = NewAccount("aspect");
        var image = Image(TestImages.Noise(8, 8), "Thin") with { Width = 1100, Height = 100 };

        var problems = _adapter.Validate(Post("Thin.", image), account);

        Assert.Contains(problems, p => p.Field == "images[0]" && p.Message.Contains("at most 10:1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sandbox_ImageUrlUnreachableOrNotJpegOrPngOrCarouselOfOne_RefusedWhenTheContainerIsMade()
    {
        var (_, token, user) = NewAccount("sbx");
        using var http = new HttpClient();
        async Task<(HttpStatusCode, string)> CreateAsync(string fields)
        {
            using var answer = await http.PostAsync(
                new Uri(Server.PlatformBaseUrl("threads") + $"/{user.Id}/threads"),
                new StringContent(fields + $"&access_token={token}", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));
            return (answer.StatusCode, await answer.Content.ReadAsStringAsync());
        }

        var unreachable = await CreateAsync($"media_type=IMAGE&image_url={Uri.EscapeDataString(_host.BaseUrl + "remote/missing.png")}");
        var webp = await CreateAsync($"media_type=IMAGE&image_url={Uri.EscapeDataString(_host.Remote("a.webp", TestImages.Noise(8, 8, SKEncodedImageFormat.Webp)).AbsoluteUri)}");
        var oneChild = await CreateAsync("media_type=CAROUSEL&children=17800000000000001");

        Assert.Equal(HttpStatusCode.BadRequest, unreachable.Item1);
        Assert.Contains("The media could not be fetched from this URI", unreachable.Item2, StringComparison.Ordinal);
        Assert.Contains("Use a JPEG or PNG image", webp.Item2, StringComparison.Ordinal);
        Assert.Contains("2 to 20 carousel item containers", oneChild.Item2, StringComparison.Ordinal);
        Assert.DoesNotContain(Threads.Containers, c => c.UserId == user.Id);
    }

    private Task<PublishOutcome> WithFaultsAsync(SandboxFaults faults, PublishRequest request) =>
        Server.WithFaultsAsync(faults, () => _adapter.PublishAsync(request));

    private ServiceProvider Build(Uri? publicBase)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_fixture.Clock);
        services.AddHerald(o => o.PublicBaseUrl = publicBase?.AbsoluteUri).AddThreads(o =>
        {
            o.StatusCheckDelay = TimeSpan.Zero;
            o.StatusCheckMaxDelay = TimeSpan.Zero;
        });
        return services.BuildServiceProvider();
    }

    private ContentImage Image(byte[] bytes, string? alt) => _host.Images.Image(bytes, alt);

    private static Content Post(string text, params ContentImage[] images) => StoredImages.Post(text, images);

    private PublishRequest Request(Content content, Account account) => _host.Images.Request(content, account);

    private (Account Account, string Token, ThreadsUser User) NewAccount(string name)
    {
        var token = $"token-img-{name}-{Guid.NewGuid():N}";
        var user = Threads.AddUser(token, $"img_{name}");
        return (new Account
        {
            Platform = "threads",
            DisplayName = "Threads images",
            Credentials = new AccountCredentials { ["access_token"] = token },
            BaseUrl = Server.PlatformBaseUrl("threads"),
            Settings = new Dictionary<string, string> { ["user_id"] = user.Id },
        }, token, user);
    }

    private List<RecordedRequest> Sent(string token) =>
        [.. Server.Requests.For("threads")
            .Where(r => r.QueryString.Contains($"access_token={token}", StringComparison.Ordinal) || r.Body.Contains($"access_token={token}", StringComparison.Ordinal))
            .OrderBy(r => r.Sequence)];

    private List<RecordedRequest> Creates(string token) =>
        [.. Sent(token).Where(r => r.Method == "POST" && r.Path.EndsWith("/threads", StringComparison.Ordinal))];
}
