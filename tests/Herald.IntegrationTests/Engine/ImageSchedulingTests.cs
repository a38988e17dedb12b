using Herald.Accounts;
using Herald.Contents;
using Herald.Engine;
using Herald.Formatting;
using Herald.Platforms;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Scheduling;
using Herald.Storage;
using Herald.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Herald.IntegrationTests.Engine;

/// <summary>
/// Images from a Markdown file to the sandbox's Mastodon through Herald's real parts: the scheduler reads and stores
/// them in SQLite, the runner publishes from the database (the file may be gone), and refusals store nothing.
/// </summary>
public sealed class ImageSchedulingTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private ImageWorld _world = null!;

    public async Task InitializeAsync() =>
        _world = await ImageWorld.StartAsync(_clock, new SandboxOptions { Random = new Random(3) }, h => h.AddMastodon(o => o.MediaPollInterval = TimeSpan.Zero).AddX().AddMedium());

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Schedule_ImageFromDisk_IsStoredAndPublishedFromTheDatabase()
    {
        var content = await ReadAsync("images: [{src: ./pics/bell.png, alt: \"A brass bell\"}]", "Our new logo.", ("pics/bell.png", ImageFlow.Png(64, 32)));
        var publication = await ScheduleAsync(content, Mastodon());
        // The file is no longer needed: the bytes are in the database.
        Directory.Delete(Path.Combine(_world.Directory, "pics"), recursive: true);

        var outcome = await RunAsync(publication.Id);

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var status = Assert.Single(_world.Sandbox.State.Mastodon.Statuses, s => s.Id == outcome.ExternalId);
        var media = Assert.Single(status.Media);
        Assert.Equal(("A brass bell", "image/png", 64, 32), (media.Description, media.MediaType, media.Width, media.Height));
        await using var scope = _world.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetPublicationAsync(publication.Id);
        Assert.Equal(media.Id, Assert.Single(stored!.UploadedMedia).RemoteRef);
    }

    [Fact]
    public async Task Publish_CreateFailsTransientlyAfterTheUpload_RetryReusesTheStoredUpload()
    {
        var content = await ReadAsync("images: [{src: ./a.png, alt: Noise}]", "Retry me.", ("a.png", ImageFlow.Png(16, 16)));
        var publication = await ScheduleAsync(content, Mastodon());
        _world.Sandbox.State.Faults = new SandboxFaults { ServerErrorRate = 1, PathContains = "/api/v1/statuses" };
        PublishOutcome first;
        try
        {
            first = await RunAsync(publication.Id);
        }
        finally
        {
            _world.Sandbox.State.Faults = SandboxFaults.None;
        }

        // A 5xx on a create is an unknown outcome: looked up (nothing found), then retried.
        Assert.Equal(PublishOutcomeKind.Unknown, first.Kind);
        await using (var scope = _world.Services.CreateAsyncScope())
        {
            var waiting = await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetPublicationAsync(publication.Id);
            Assert.Equal(PublicationStatus.RetryScheduled, waiting!.Status);
            Assert.Single(waiting.UploadedMedia);
        }

        _clock.Advance(TimeSpan.FromMinutes(5));

        var second = await RunAsync(publication.Id);

        Assert.True(second.Kind == PublishOutcomeKind.Published, second.Error);
        Assert.Single(_world.Sandbox.Requests.For("mastodon"), r => r.Path == "/mastodon/api/v2/media");
        Assert.Single(Assert.Single(_world.Sandbox.State.Mastodon.Statuses, s => s.Id == second.ExternalId).Media);
    }

    [Theory]
    [InlineData("images: [{src: ./anim.gif, alt: Moving}]", "images[0].src", "animated GIF")]
    [InlineData("images: [{src: ./clip.mp4, alt: A clip}]", "images[0].src", "is a video")]
    [InlineData("images: [{src: ./a.png}]", "images[0].alt", "is required on Mastodon")]
    [InlineData("images: [./a.png, ./a.png, ./a.png, ./a.png, ./a.png]", "images", "at most 4")]
    [InlineData("images: [{src: ./missing.png, alt: x}]", "images[0].src", "names no file")]
    [InlineData("images: [{src: 'http://127.0.0.1/a.png', alt: x}]", "images[0].src", "points at a private address: 127.0.0.1 is a loopback address")]
    public async Task Schedule_RefusedImage_NamedAndNothingStored(string frontMatter, string field, string rule)
    {
        var content = await ReadAsync(frontMatter, "Refused.",
            ("anim.gif", [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
                .. Frame(), .. Frame(), 0x3B]),
            ("clip.mp4", [0, 0, 0, 0x18, .. "ftypmp42"u8.ToArray(), 0, 0, 0, 0, 0, 0, 0, 0]),
            ("a.png", ImageFlow.Png(8, 8)));

        var ex = await Assert.ThrowsAsync<ContentValidationException>(() => ScheduleAsync(content, Mastodon()));

        Assert.Contains(ex.Problems, p => p.Field == field && p.Message.Contains(rule, StringComparison.Ordinal));
        await using var scope = _world.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        Assert.Equal(0, await db.Contents.CountAsync());
        Assert.Equal(0, await db.Set<Herald.Storage.Media.MediaRow>().CountAsync());
        Assert.DoesNotContain(_world.Sandbox.Requests.For("mastodon"), r => r.Method == "POST");
    }

    [Fact]
    public async Task Schedule_ImageForMedium_StoredThenUploadedAndWrittenIntoTheArticle()
    {
        var content = await ReadAsync(
            "title: Bells\ntype: article\nimages: [{src: ./pics/bell.png, alt: \"A brass bell\"}]", "All about bells.", ("pics/bell.png", ImageFlow.Png(48, 24)));
        var medium = new Account
        {
            Platform = "medium",
            DisplayName = "medium",
            Credentials = new AccountCredentials { ["access_token"] = SandboxAccounts.MediumToken },
            BaseUrl = _world.Sandbox.PlatformBaseUrl("medium"),
        };
        var publication = await ScheduleAsync(content, medium);
        Directory.Delete(Path.Combine(_world.Directory, "pics"), recursive: true);

        var outcome = await RunAsync(publication.Id);

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var post = Assert.Single(_world.Sandbox.State.Medium.Posts, p => p.Id == outcome.ExternalId);
        var image = Assert.Single(post.Images);
        Assert.Equal(("A brass bell", "image/png", 48, 24), (image.Alt, image.Upload!.MediaType, image.Upload.Width, image.Upload.Height));
        await using var scope = _world.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetPublicationAsync(publication.Id);
        Assert.Equal(image.Url, Assert.Single(stored!.UploadedMedia).RemoteRef);
    }

    [Theory]
    [InlineData("images: [{src: ./anim.gif, alt: Moving}]", "images[0].src", "animated GIF")]
    [InlineData("images: [{src: ./a.png}]", "images[0].alt", "is required on Medium")]
    [InlineData("images: [{src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}, {src: ./a.png, alt: x}]", "images", "at most 20")]
    public async Task Schedule_RefusedImageForMedium_NamedAndNothingStoredOrSent(string frontMatter, string field, string rule)
    {
        var content = await ReadAsync("title: Refused\ntype: article\n" + frontMatter, "Refused.",
            ("anim.gif", [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
                .. Frame(), .. Frame(), 0x3B]),
            ("a.png", ImageFlow.Png(8, 8)));
        var medium = new Account
        {
            Platform = "medium",
            DisplayName = "medium",
            Credentials = new AccountCredentials { ["access_token"] = SandboxAccounts.MediumToken },
            BaseUrl = _world.Sandbox.PlatformBaseUrl("medium"),
        };

        var ex = await Assert.ThrowsAsync<ContentValidationException>(() => ScheduleAsync(content, medium));

        Assert.Contains(ex.Problems, p => p.Field == field && p.Message.Contains(rule, StringComparison.Ordinal));
        await using var scope = _world.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        Assert.Equal(0, await db.Contents.CountAsync());
        Assert.Equal(0, await db.Set<Herald.Storage.Media.MediaRow>().CountAsync());
        Assert.Empty(_world.Sandbox.Requests.For("medium"));
    }

    [Fact]
    public async Task Schedule_ImageForX_StoredThenPublishedFromTheDatabaseWithItsAltText()
    {
        var content = await ReadAsync("images: [{src: ./pics/bell.png, alt: \"A brass bell\"}]", "Our new logo, on X.", ("pics/bell.png", ImageFlow.Png(48, 24)));
        var publication = await ScheduleAsync(content, X());
        Directory.Delete(Path.Combine(_world.Directory, "pics"), recursive: true);

        var outcome = await RunAsync(publication.Id);

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var post = Assert.Single(_world.Sandbox.State.X.Posts, p => p.Id == outcome.ExternalId);
        var media = Assert.Single(post.Media);
        Assert.Equal(("A brass bell", "image/png", 48, 24), (media.AltText, media.MediaType, media.Width, media.Height));
        await using var scope = _world.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetPublicationAsync(publication.Id);
        Assert.Equal(media.Id, Assert.Single(stored!.UploadedMedia).RemoteRef);
    }

    [Fact]
    public async Task Schedule_FiveImagesOnX_RefusedNamingTheRuleAndNothingStored()
    {
        var content = await ReadAsync("images: [{src: ./a.png, alt: a}, {src: ./a.png, alt: b}, {src: ./a.png, alt: c}, {src: ./a.png, alt: d}, {src: ./a.png, alt: e}]",
            "Too many.", ("a.png", ImageFlow.Png(8, 8)));

        var ex = await Assert.ThrowsAsync<ContentValidationException>(() => ScheduleAsync(content, X()));

        Assert.Contains(ex.Problems, p => p.Field == "images" && p.Platform == "x" && p.Message.Contains("X takes at most 4 on a post", StringComparison.Ordinal));
        await using var scope = _world.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        Assert.Equal(0, await db.Contents.CountAsync());
        Assert.Equal(0, await db.Set<Herald.Storage.Media.MediaRow>().CountAsync());
        Assert.DoesNotContain(_world.Sandbox.Requests.For("x"), r => r.Method == "POST");
    }

    [Theory]
    [InlineData("mastodon", "/api/v1/statuses", "/mastodon/api/v2/media")]
    [InlineData("x", "/2/tweets", "/x/2/media/upload")]
    public async Task Publish_CreateAnswerLostAfterTheUpload_FoundOnThePlatform_NeitherPostedNorUploadedAgain(string platform, string create, string upload)
    {
        var content = await ReadAsync("images: [{src: ./a.png, alt: A lost answer}]", $"The answer to this {platform} post is lost.", ("a.png", ImageFlow.Png(16, 16)));
        var publication = await ScheduleAsync(content, platform == "x" ? X() : Mastodon());
        // The platform makes the post, then the connection drops before its answer: Herald cannot tell from the call.
        _world.Sandbox.State.Faults = new SandboxFaults { DropAfterAcceptRate = 1, PathContains = create, MaxFaults = 1 };
        PublishOutcome outcome;
        try
        {
            outcome = await RunAsync(publication.Id);
        }
        finally
        {
            _world.Sandbox.State.Faults = SandboxFaults.None;
        }

        // Looked up in the same attempt and found: published, with its image, from one upload and one create.
        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var requests = _world.Sandbox.Requests.For(platform);
        var sent = Assert.Single(requests, r => r.Method == "POST" && r.Path.EndsWith(create, StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Method == "GET" && r.Sequence > sent.Sequence); // the lookup that found it
        Assert.Single(requests, r => r.Path == upload);
        var attached = platform == "x"
            ? Assert.Single(_world.Sandbox.State.X.Posts, p => p.Id == outcome.ExternalId).Media.Select(m => m.AltText)
            : Assert.Single(_world.Sandbox.State.Mastodon.Statuses, s => s.Id == outcome.ExternalId).Media.Select(m => m.Description);
        Assert.Equal("A lost answer", Assert.Single(attached));
    }

    private static byte[] Frame() =>
        [0x21, 0xF9, 0x04, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00];

    private async Task<Content> ReadAsync(string frontMatter, string body, params (string Path, byte[] Bytes)[] files)
    {
        foreach (var (path, bytes) in files)
        {
            var full = Path.Combine(_world.Directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllBytesAsync(full, bytes);
        }

        var markdown = Path.Combine(_world.Directory, "post.md");
        await File.WriteAllTextAsync(markdown, $"---\n{frontMatter}\n---\n{body}\n");
        return await new MarkdownFileReader(new ContentLimits(), _clock).ReadAsync(markdown);
    }

    private Account X() => ImageFlow.X(_world.Sandbox);

    private Account Mastodon() => ImageFlow.Mastodon(_world.Sandbox);

    private Task<Publication> ScheduleAsync(Content content, Account account) => ImageFlow.ScheduleAsync(_world.Services, content, account, _clock);

    private Task<PublishOutcome> RunAsync(PublicationId id) => ImageFlow.RunAsync(_world.Services, id);
}
