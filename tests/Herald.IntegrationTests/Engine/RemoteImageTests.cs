using Herald.Accounts;
using Herald.Contents;
using Herald.Engine;
using Herald.Formatting;
using Herald.Media.Fetching;
using Herald.Platforms;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Scheduling;
using Herald.Storage;
using Herald.Testing;
using Herald.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SkiaSharp;

namespace Herald.IntegrationTests.Engine;

/// <summary>
/// Images given by URL, fetched at scheduling through the guarded client from a real HTTP server on 127.0.0.1: stored
/// in SQLite like a file, published from the database once the server is gone; every refusal named on
/// <c>images[0].src</c> with nothing stored. Loopback is allowed by configuration where the server must be reached,
/// and refused where the guard is under test.
/// </summary>
public sealed class RemoteImageTests : IAsyncLifetime
{
    private const long MaxImageBytes = 256 * 1024;
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(20);

    private readonly string _directory = Directory.CreateTempSubdirectory("herald-remote-images-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly byte[] _png = ImageFlow.Png(40, 20);
    private SandboxServer _sandbox = null!;
    private ImageServer _images = null!;
    private ServiceProvider? _services;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { Random = new Random(5) });
        _images = await ImageServer.StartAsync(_png, bigBytes: MaxImageBytes * 2);
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await _images.DisposeAsync();
        await _sandbox.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Schedule_ImageUrl_FetchedOnceStoredAndPublishedFromTheDatabase()
    {
        await ComposeAsync(o => o.AllowPrivateAddresses = true);
        var url = _images.Url("a.png");
        var redirected = _images.Url("hop/2");
        var content = await ReadAsync($"images: [{{src: '{url}', alt: \"A brass bell\"}}, {{src: '{redirected}', alt: Again}}]");

        var publication = await ScheduleAsync(content);
        // Each fetched once (the second through three redirects); then publishing must not depend on the URLs any more.
        Assert.Equal((2, 1, 1, 1), (_images.Hits("/a.png"), _images.Hits("/hop/2"), _images.Hits("/hop/1"), _images.Hits("/hop/0")));
        await _images.DisposeAsync();
        var outcome = await RunAsync(publication.Id);

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var status = Assert.Single(_sandbox.State.Mastodon.Statuses, s => s.Id == outcome.ExternalId);
        Assert.Equal([("A brass bell", "image/png", 40, 20), ("Again", "image/png", 40, 20)],
            status.Media.Select(m => (m.Description, m.MediaType, m.Width, m.Height)));
        await using var scope = _services!.CreateAsyncScope();
        var details = await scope.ServiceProvider.GetRequiredService<IPublicationScheduler>().GetAsync(publication.Id);
        // The source stays the URL (other platforms use it as the image's public address); the bytes are in the database.
        Assert.Equal([url, redirected], details!.Content!.Images.Select(i => i.Source));
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        Assert.Equal(1, await db.Set<Herald.Storage.Media.MediaRow>().CountAsync());
    }

    [Theory]
    [InlineData("hop/9", "redirects too many times")]
    [InlineData("ftp", "Herald fetches images over http and https only")]
    [InlineData("big.png", "is too large: more than 262,144 bytes arrived")]
    [InlineData("page.png", "is not an image Herald can read (the server called it image/png)")]
    [InlineData("missing.png", "answered HTTP 404 (Not Found)")]
    public async Task Schedule_ImageUrlRefused_NamedOnTheSourceAndNothingStored(string path, string rule)
    {
        await ComposeAsync(o => o.AllowPrivateAddresses = true);
        var content = await ReadAsync($"images: [{{src: '{_images.Url(path)}', alt: x}}]");

        var ex = await Assert.ThrowsAsync<ContentValidationException>(() => ScheduleAsync(content));

        Assert.Contains(ex.Problems, p => p.Field == "images[0].src" && p.Message.Contains(rule, StringComparison.Ordinal));
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Schedule_ServerStalls_TimesOutOnTheConfiguredClock()
    {
        await ComposeAsync(o => o.AllowPrivateAddresses = true);
        var content = await ReadAsync($"images: [{{src: '{_images.Url("slow.png")}', alt: x}}]");

        var scheduling = ScheduleAsync(content);
        await _images.SlowStarted.WaitAsync(TimeSpan.FromSeconds(60));
        _clock.Advance(FetchTimeout + TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<ContentValidationException>(() => scheduling.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(ex.Problems, p => p.Field == "images[0].src" && p.Message.Contains("timed out", StringComparison.Ordinal)
            && p.Message.Contains("Herald:Media:FetchTimeout", StringComparison.Ordinal));
        await AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/a.png", "127.0.0.1 is a loopback address")]
    [InlineData("http://[::1]:{port}/a.png", "::1 is a loopback address")]
    [InlineData("http://10.1.2.3/a.png", "10.1.2.3 is a private address")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address")]
    [InlineData("http://[::ffff:192.168.1.1]/a.png", "is a private address")]
    [InlineData("http://localhost:{port}/a.png", "localhost resolves to")]
    public async Task Schedule_PrivateAddressNotAllowed_RefusedBeforeConnecting(string source, string rule)
    {
        await ComposeAsync(_ => { });
        var content = await ReadAsync($"images: [{{src: '{source.Replace("{port}", _images.BaseAddress.Port.ToString(), StringComparison.Ordinal)}', alt: x}}]");

        var ex = await Assert.ThrowsAsync<ContentValidationException>(() => ScheduleAsync(content));

        var problem = Assert.Single(ex.Problems, p => p.Field == "images[0].src");
        Assert.Contains("points at a private address", problem.Message, StringComparison.Ordinal);
        Assert.Contains(rule, problem.Message, StringComparison.Ordinal);
        Assert.Contains("Herald:Media:AllowPrivateAddresses", problem.Message, StringComparison.Ordinal);
        Assert.Equal(0, _images.Hits("/a.png"));
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Schedule_AllowedHostRedirectsToAPrivateAddress_TheHopIsRefused()
    {
        await ComposeAsync(o => o.AllowedHosts = ["localhost"]);
        var allowed = await ReadAsync($"images: [{{src: '{_images.Url("a.png", "localhost")}', alt: x}}]");
        var redirected = await ReadAsync($"images: [{{src: '{_images.Url("to/127.0.0.1", "localhost")}', alt: x}}]");

        // The allowed host itself is reached …
        await ScheduleAsync(allowed);
        Assert.Equal(1, _images.Hits("/a.png"));
        // … but its redirect to an address that is not allowed is checked again, and refused.
        var ex = await Assert.ThrowsAsync<ContentValidationException>(() => ScheduleAsync(redirected));

        Assert.Contains(ex.Problems, p => p.Field == "images[0].src" && p.Message.Contains("127.0.0.1 is a loopback address", StringComparison.Ordinal));
        Assert.Equal(1, _images.Hits("/to/127.0.0.1"));
        Assert.Equal(1, _images.Hits("/a.png"));
    }

    private async Task ComposeAsync(Action<MediaFetchOptions> fetch)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddHerald(o => o.Limits.MaxImageBytes = MaxImageBytes).AddMastodon(o => o.MediaPollInterval = TimeSpan.Zero);
        services.Configure<MediaFetchOptions>(o =>
        {
            o.FetchTimeout = FetchTimeout;
            fetch(o);
        });
        services.AddHeraldStorage($"Data Source={Path.Combine(_directory, "herald.db")}");
        _services = services.BuildServiceProvider();
        await _services.MigrateHeraldDatabaseAsync();
    }

    private async Task AssertNothingStoredAsync()
    {
        await using var scope = _services!.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        Assert.Equal(0, await db.Contents.CountAsync());
        Assert.Equal(0, await db.Set<Herald.Storage.Media.MediaRow>().CountAsync());
        Assert.DoesNotContain(_sandbox.Requests.For("mastodon"), r => r.Method == "POST");
    }

    private async Task<Content> ReadAsync(string frontMatter)
    {
        var markdown = Path.Combine(_directory, $"post-{Guid.NewGuid():N}.md");
        await File.WriteAllTextAsync(markdown, $"---\n{frontMatter}\n---\nFrom the web.\n");
        return await new MarkdownFileReader(new ContentLimits(), _clock).ReadAsync(markdown);
    }

    private Account Mastodon() => ImageFlow.Mastodon(_sandbox);

    private Task<Publication> ScheduleAsync(Content content) => ScheduleAsync(content, Mastodon());

    private Task<Publication> ScheduleAsync(Content content, Account account) => ImageFlow.ScheduleAsync(_services!, content, account, _clock);

    private Task<PublishOutcome> RunAsync(PublicationId id) => ImageFlow.RunAsync(_services!, id);
}
