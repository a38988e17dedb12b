using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms.Tests.Media;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Sandbox.X;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Herald.Platforms.Tests.X;

/// <summary>
/// Images on X over real HTTP against the sandbox: the simple upload, the alt text call, the ids on the first part,
/// fitting under 5,000,000 bytes, the reuse of an upload by a retry, and upload failures as plain retries. Each test
/// posts as its own sandbox user.
/// </summary>
public sealed class XImageTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly ServiceProvider _services;
    private readonly IPlatformAdapter _adapter;
    private readonly StoredImages _images = new();

    public XImageTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fixture.Clock);
        services.AddHerald().AddX();
        _services = services.BuildServiceProvider();
        _adapter = _services.GetRequiredService<PlatformRegistry>().Resolve("x");
    }

    private SandboxServer Server => _fixture.Server;

    private XState X => Server.State.X;

    public void Dispose()
    {
        Server.State.Faults = SandboxFaults.None;
        _services.Dispose();
    }

    [Fact]
    public async Task PublishAsync_TwoImages_UploadsEachSetsAltTextThenAttachesThemInOrder()
    {
        var (account, user, token) = NewAccount("two");
        var png = TestImages.Noise(40, 30, SKEncodedImageFormat.Png);
        var jpeg = TestImages.Noise(64, 48);
        var content = Post("Two pictures.", Image(png, "A square of coloured noise"), Image(jpeg, "More noise, wider"));

        var outcome = await _adapter.PublishAsync(Request(content, account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var sent = Sent(token);
        Assert.Equal(
            ["POST /x/2/media/upload", "POST /x/2/media/metadata", "POST /x/2/media/upload", "POST /x/2/media/metadata", "POST /x/2/tweets"],
            sent.Select(r => $"{r.Method} {r.Path}").ToList());
        Assert.StartsWith("multipart/form-data", sent[0].Header("Content-Type"), StringComparison.Ordinal);
        Assert.Contains("name=media_category", sent[0].Body, StringComparison.Ordinal);
        Assert.Contains("tweet_image", sent[0].Body, StringComparison.Ordinal);

        var media = X.Media.All.Where(m => m.OwnerId == user.Id).ToList();
        Assert.Equal(2, media.Count);
        using (var metadata = JsonDocument.Parse(sent[1].Body))
        {
            Assert.Equal(media[0].Id, metadata.RootElement.GetProperty("id").GetString());
            Assert.Equal("A square of coloured noise", metadata.RootElement.GetProperty("metadata").GetProperty("alt_text").GetProperty("text").GetString());
        }

        using (var create = JsonDocument.Parse(sent[4].Body))
        {
            Assert.Equal(media.Select(m => m.Id), create.RootElement.GetProperty("media").GetProperty("media_ids").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("Two pictures.", create.RootElement.GetProperty("text").GetString());
        }

        var post = Assert.Single(X.Posts, p => p.AuthorId == user.Id);
        Assert.Equal(["A square of coloured noise", "More noise, wider"], post.Media.Select(m => m.AltText));
        Assert.Equal([("image/png", 40, 30), ("image/jpeg", 64, 48)], post.Media.Select(m => (m.MediaType, m.Width, m.Height)));
        Assert.Equal([(0, 0), (0, 1)], _images.Uploaded.Select(u => (u.Part, u.Image)));
        Assert.Equal(media.Select(m => m.Id), _images.Uploaded.Select(u => u.RemoteRef));

        // What a person sees: the sandbox's page shows the images with their alt text, and serves their bytes.
        var listed = Assert.Single(SandboxPostListing.List(Server.State, "x"), p => p.Id == post.Id);
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        var page = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains($"<img src=\"{listed.Images[0].Path}\" alt=\"A square of coloured noise\"", page, StringComparison.Ordinal);
        Assert.Equal(post.Media[1].Bytes, await http.GetByteArrayAsync(new Uri(listed.Images[1].Path, UriKind.Relative)));
    }

    [Fact]
    public async Task PublishAsync_ExplicitlyEmptyAlt_SkipsTheAltTextCall()
    {
        var (account, user, token) = NewAccount("noalt");

        var outcome = await _adapter.PublishAsync(Request(Post("No description.", Image(TestImages.Noise(12, 12), "")), account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        Assert.Equal(["/x/2/media/upload", "/x/2/tweets"], Sent(token).Select(r => r.Path).ToList());
        Assert.Equal("", Assert.Single(Assert.Single(X.Posts, p => p.AuthorId == user.Id).Media).AltText);
    }

    [Fact]
    public async Task PublishAsync_TokenWithoutMediaWrite_FailsNamingTheScope_AndPostsNothing()
    {
        var user = X.AddUser(Name("noscope"));
        var token = $"token-noscope-{Guid.NewGuid():N}";
        X.AddAccessToken(user, token, scopes: "tweet.read tweet.write users.read offline.access");
        var account = XAccount(new AccountCredentials { ["access_token"] = token });

        var outcome = await _adapter.PublishAsync(Request(Post("A picture.", Image(TestImages.Noise(12, 12), "Noise")), account));

        Assert.NotEqual(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Contains("X refused the upload (HTTP 403)", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("media.write scope", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(X.Posts, p => p.AuthorId == user.Id);
        Assert.DoesNotContain(token, outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_Thread_ImagesOnTheFirstPartOnly()
    {
        var (account, user, _) = NewAccount("thread");
        var content = Post(XAdapterTests.ThreeParagraphs("pictures"), Image(TestImages.Noise(20, 20), "Noise"));

        var outcome = await _adapter.PublishAsync(Request(content, account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var posts = X.Posts.Where(p => p.AuthorId == user.Id).ToList();
        Assert.Equal(3, posts.Count);
        Assert.Equal([1, 0, 0], posts.Select(p => p.Media.Count));
        Assert.Equal(outcome.ExternalId, posts[0].Id);
        Assert.Null(posts[0].InReplyToId);
    }

    [Fact]
    public async Task PublishAsync_CreateFailsAfterTheUpload_RetryReusesTheStoredMediaId()
    {
        var (account, user, token) = NewAccount("retry");
        var content = Post("Once.", Image(TestImages.Noise(30, 30), "Noise"));

        var first = await WithFaultsAsync(new SandboxFaults { ServerErrorRate = 1, PathContains = "/2/tweets" }, Request(content, account));

        Assert.NotEqual(PublishOutcomeKind.Published, first.Kind);
        var uploaded = Assert.Single(_images.Uploaded);

        var second = await _adapter.PublishAsync(Request(content, account) with { UploadedMedia = [.. _images.Uploaded] });

        Assert.True(second.Kind == PublishOutcomeKind.Published, second.Error);
        Assert.Single(X.Media.All, m => m.OwnerId == user.Id);
        Assert.Single(Sent(token), r => r.Path == "/x/2/media/upload");
        var post = Assert.Single(X.Posts, p => p.AuthorId == user.Id);
        Assert.Equal(uploaded.RemoteRef, Assert.Single(post.Media).Id);
        Assert.Equal("Noise", post.Media[0].AltText);
    }

    [Fact]
    public async Task PublishAsync_CreateWithImagesAnsweredLost_FoundByLookupDespiteTheMediaLinkInItsText()
    {
        var (account, user, token) = NewAccount("lost");
        var content = Post("Answer lost, post made.", Image(TestImages.Noise(22, 22), "Noise"));

        var outcome = await WithFaultsAsync(new SandboxFaults { ServerErrorAfterCommitRate = 1, PathContains = "/2/tweets" }, Request(content, account));
        var lookup = await _adapter.FindExistingAsync(Request(content, account) with { UncertainSince = _fixture.Clock.GetUtcNow() });

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        var post = Assert.Single(X.Posts, p => p.AuthorId == user.Id);
        Assert.Equal(ExistingPostState.Found, lookup.State);
        Assert.Equal(post.Id, lookup.ExternalId);
        // What the lookup read: X's text with the t.co link to the images at the end, named by its media key.
        using var http = new HttpClient();
        using var read = new HttpRequestMessage(HttpMethod.Get, new Uri(Server.PlatformBaseUrl("x") + $"/2/users/{user.Id}/tweets?tweet.fields=entities"));
        read.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var answer = await http.SendAsync(read);
        using var timeline = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        var tweet = timeline.RootElement.GetProperty("data")[0];
        Assert.StartsWith("Answer lost, post made. https://t.co/", tweet.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(post.Media[0].MediaKey, tweet.GetProperty("entities").GetProperty("urls")[0].GetProperty("media_key").GetString());
    }

    [Fact]
    public async Task PublishAsync_StoredUploadOlderThanXKeepsIt_UploadedAgain()
    {
        var (account, user, token) = NewAccount("stale");
        var content = Post("Stale upload.", Image(TestImages.Noise(14, 14), "Noise"));
        var stale = new UploadedMedia(0, 0, content.Images[0].Sha256!, "1234567890", _fixture.Clock.GetUtcNow() - TimeSpan.FromDays(2));

        var outcome = await _adapter.PublishAsync(Request(content, account) with { UploadedMedia = [stale] });

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        Assert.Single(Sent(token), r => r.Path == "/x/2/media/upload");
        Assert.NotEqual("1234567890", Assert.Single(Assert.Single(X.Posts, p => p.AuthorId == user.Id).Media).Id);
    }

    [Fact]
    public async Task PublishAsync_ImageOverFiveMegabytes_IsFittedAndAccepted()
    {
        var (account, user, _) = NewAccount("big");
        var big = TestImages.Noise(1800, 1400, SKEncodedImageFormat.Png);
        Assert.True(big.LongLength > XMediaState.ImageLimit, $"{big.Length} bytes");

        var outcome = await _adapter.PublishAsync(Request(Post("A big one.", Image(big, "Noise")), account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var media = Assert.Single(Assert.Single(X.Posts, p => p.AuthorId == user.Id).Media);
        Assert.True(media.Bytes.LongLength <= 5_000_000, $"{media.Bytes.LongLength} bytes");
        Assert.Equal("image/jpeg", media.MediaType);
        // Resized or not, the aspect ratio is kept.
        Assert.InRange(media.Width / (double)media.Height, 1800 / 1400.0 - 0.01, 1800 / 1400.0 + 0.01);
    }

    [Theory]
    [InlineData("server error")]
    [InlineData("rate limit")]
    public async Task PublishAsync_UploadAnswered5xxOr429_IsARetryNotAnUncertainPost(string fault)
    {
        var (account, user, _) = NewAccount("upfail");
        var content = Post("Upload fails.", Image(TestImages.Noise(16, 16), "Noise"));

        var faults = fault == "server error"
            ? new SandboxFaults { ServerErrorRate = 1, PathContains = "/2/media/upload" }
            : new SandboxFaults { RateLimitRate = 1, RetryAfterSeconds = 90, PathContains = "/2/media/upload" };
        var outcome = await WithFaultsAsync(faults, Request(content, account));

        Assert.Equal(fault == "server error" ? PublishOutcomeKind.Transient : PublishOutcomeKind.RateLimited, outcome.Kind);
        Assert.StartsWith("Image 1", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(_images.Uploaded);
        Assert.DoesNotContain(X.Posts, p => p.AuthorId == user.Id);
    }

    [Fact]
    public async Task PublishAsync_OAuth1_SignsTheMultipartUploadAndTheSandboxVerifiesIt()
    {
        var signer = XOAuth1User.Add(X, Name("oauth1img"));
        var user = signer.User;
        var account = XAccount(signer.Credentials);

        var outcome = await _adapter.PublishAsync(Request(Post("Signed picture.", Image(TestImages.Noise(18, 18), "Noise")), account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        Assert.Equal("Noise", Assert.Single(Assert.Single(X.Posts, p => p.AuthorId == user.Id).Media).AltText);
        var signed = Server.Requests.For("x").Where(r => r.Header("Authorization")?.Contains($"oauth_token=\"{signer.Token}\"", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(["/x/2/media/upload 200", "/x/2/media/metadata 200", "/x/2/tweets 201"], signed.Select(r => $"{r.Path} {r.StatusCode}").ToList());
    }

    [Fact]
    public async Task PublishAsync_AnotherUsersMediaId_RefusedAsInvalidMediaIds()
    {
        var (owner, ownerUser, _) = NewAccount("owner");
        await _adapter.PublishAsync(Request(Post("Mine.", Image(TestImages.Noise(10, 10), "Mine")), owner));
        var (thief, thiefUser, _) = NewAccount("thief");
        var content = Post("Not mine.", Image(TestImages.Noise(11, 11), ""));
        var stolen = new UploadedMedia(0, 0, content.Images[0].Sha256!, Assert.Single(X.Media.All, m => m.OwnerId == ownerUser.Id).Id, _fixture.Clock.GetUtcNow());

        var outcome = await _adapter.PublishAsync(Request(content, thief) with { UploadedMedia = [stolen] });

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("Your media IDs are invalid.", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(X.Posts, p => p.AuthorId == thiefUser.Id);
    }

    [Fact]
    public void Validate_FiveImagesMissingAndOverlongAlt_NamedBeforeAnythingIsSent()
    {
        var (account, _, _) = NewAccount("validate");
        var alts = new[] { "a", "b", null, new string('x', 1_001), "e" };
        var content = Post("Five.", [.. alts.Select((alt, i) => Image(TestImages.Noise(8, 8, seed: i), alt))]);

        var problems = _adapter.Validate(content, account);

        Assert.Contains(problems, p => p.Field == "images" && p.Message.Contains("X takes at most 4", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "images[2].alt" && p.Message.Contains("is required on X", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "images[3].alt" && p.Message.Contains("at most 1,000", StringComparison.Ordinal));
        Assert.DoesNotContain(Server.Requests.For("x"), r => r.Header("Authorization")?.Contains("token-validate-", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Validate_AltTextOfManyCodePointsButFewCharacters_RefusedAsXCountsIt()
    {
        var (account, _, _) = NewAccount("points");
        // 300 family emoji: 300 characters to a reader, 2,100 code points to X.
        var alt = string.Concat(Enumerable.Repeat("\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466", 300));

        var problems = _adapter.Validate(Post("Families.", Image(TestImages.Noise(8, 8), alt)), account);

        Assert.Contains(problems, p => p.Field == "images[0].alt" && p.Message.Contains("code points", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ShowsWhereTheImageIdsGo()
    {
        var (account, _, _) = NewAccount("render");

        var payload = _adapter.Render(Post("Preview.", Image(TestImages.Noise(8, 8), "x")), account);

        Assert.Contains("\"media\":{\"media_ids\":[\"{id of image 1}\"]}", payload.Body, StringComparison.Ordinal);
    }

    /// <summary>Publishes with <paramref name="faults"/> in force, then switches them off.</summary>
    private Task<PublishOutcome> WithFaultsAsync(SandboxFaults faults, PublishRequest request) =>
        Server.WithFaultsAsync(faults, () => _adapter.PublishAsync(request));

    private ContentImage Image(byte[] bytes, string? alt) => _images.Image(bytes, alt);

    private static Content Post(string text, params ContentImage[] images) => StoredImages.Post(text, images);

    private PublishRequest Request(Content content, Account account) => _images.Request(content, account);

    private List<RecordedRequest> Sent(string token) =>
        [.. Server.Requests.For("x").Where(r => r.Header("Authorization") == $"Bearer {token}" && r.Method == "POST")];

    private (Account Account, XSandboxUser User, string Token) NewAccount(string name)
    {
        var user = X.AddUser(Name(name));
        var token = $"token-{name}-{Guid.NewGuid():N}";
        X.AddAccessToken(user, token);
        return (XAccount(new AccountCredentials { ["access_token"] = token }), user, token);
    }

    private Account XAccount(AccountCredentials credentials) => new()
    {
        Platform = "x",
        DisplayName = "X images",
        Credentials = credentials,
        BaseUrl = Server.PlatformBaseUrl("x"),
        Settings = new Dictionary<string, string> { ["username"] = "images" },
    };

    private static string Name(string name) => $"{name}_{Guid.NewGuid():N}"[..15];
}
