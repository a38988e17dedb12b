using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms.Tests.Media;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Herald.Platforms.Tests.LinkedIn;

/// <summary>
/// Images on LinkedIn (API mode) over real HTTP against the sandbox: initializeUpload, the PUT of the bytes, the wait
/// until AVAILABLE, then <c>content.media</c> or <c>content.multiImage</c> with altText; fitting, reuse on retry, the
/// create whose answer is lost, and manual mode's list. Each test posts as its own sandbox member.
/// </summary>
public sealed class LinkedInImageTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly ServiceProvider _services;
    private readonly IPlatformAdapter _adapter;
    private readonly StoredImages _images = new();

    public LinkedInImageTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fixture.Clock);
        services.AddHerald().AddLinkedIn(o => o.ImagePollInterval = TimeSpan.Zero);
        _services = services.BuildServiceProvider();
        _adapter = _services.GetRequiredService<PlatformRegistry>().Resolve("linkedin");
    }

    private SandboxServer Server => _fixture.Server;

    public void Dispose()
    {
        Server.State.Faults = SandboxFaults.None;
        Server.State.Options.LinkedIn.ImageProcessingPolls = 1;
        Server.State.Options.LinkedIn.ImageReadsForbidden = false;
        _services.Dispose();
    }

    [Fact]
    public async Task PublishAsync_OneImage_InitializePutWaitThenContentMediaWithAltText()
    {
        var (account, token, author) = NewAccount("one");
        var content = Post("One picture.", Image(TestImages.Noise(40, 30, SKEncodedImageFormat.Png), "A square of coloured noise"));

        var outcome = await _adapter.PublishAsync(Request(content, account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var image = Assert.Single(Server.State.LinkedIn.Images.All, i => i.Owner == author);
        var sent = Sent(token);
        Assert.Equal(
            [
                "POST /linkedin/rest/images?action=initializeUpload", $"PUT /linkedin/dms-uploads/{image.Id}",
                $"GET /linkedin/rest/images/{image.Urn}", $"GET /linkedin/rest/images/{image.Urn}",
                "POST /linkedin/rest/posts",
            ],
            sent.Select(r => $"{r.Method} {r.Path}{r.QueryString}").ToList());
        Assert.Equal([200, 201, 200, 200, 201], sent.Select(r => r.StatusCode));
        Assert.All(sent.Where(r => r.Path.Contains("/rest/", StringComparison.Ordinal)), r => Assert.Equal("2.0.0", r.Header("X-Restli-Protocol-Version")));
        using (var initialize = JsonDocument.Parse(sent[0].Body))
        {
            Assert.Equal(author, initialize.RootElement.GetProperty("initializeUploadRequest").GetProperty("owner").GetString());
        }

        using (var create = JsonDocument.Parse(sent[4].Body))
        {
            var media = create.RootElement.GetProperty("content").GetProperty("media");
            Assert.Equal(image.Urn, media.GetProperty("id").GetString());
            Assert.Equal("A square of coloured noise", media.GetProperty("altText").GetString());
        }

        Assert.Equal(("AVAILABLE", 1, "image/png", 40, 30), (image.Status, image.Puts, image.MediaType, image.Width, image.Height));
        Assert.Equal(image.Urn, Assert.Single(_images.Uploaded).RemoteRef);

        // What a person sees: the post's JSON and the sandbox's page carry the image with its alt text.
        var post = Assert.Single(Server.State.LinkedIn.Posts, p => p.Author == author);
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        using var read = new HttpRequestMessage(HttpMethod.Get, new Uri($"/linkedin/rest/posts/{Uri.EscapeDataString(post.Urn)}", UriKind.Relative));
        read.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        read.Headers.Add("LinkedIn-Version", "202611");
        read.Headers.Add("X-Restli-Protocol-Version", "2.0.0");
        using var answer = await http.SendAsync(read);
        using (var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()))
        {
            Assert.Equal("A square of coloured noise", json.RootElement.GetProperty("content").GetProperty("media").GetProperty("altText").GetString());
        }

        var listed = Assert.Single(SandboxPostListing.List(Server.State, "linkedin"), p => p.Id == post.Urn);
        var page = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains($"<img src=\"{listed.Images[0].Path}\" alt=\"A square of coloured noise\"", page, StringComparison.Ordinal);
        Assert.Equal(image.Bytes, await http.GetByteArrayAsync(new Uri(listed.Images[0].Path, UriKind.Relative)));
    }

    [Fact]
    public async Task PublishAsync_TokenMayNotReadImages_PostsAfterAGraceInsteadOfFailing()
    {
        Server.State.Options.LinkedIn.ImageReadsForbidden = true;
        Server.State.Options.LinkedIn.ImageProcessingPolls = 0;
        var (account, token, author) = NewAccount("noread");

        var outcome = await _adapter.PublishAsync(Request(Post("Cannot read images.", Image(TestImages.Noise(20, 20), "Noise")), account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var image = Assert.Single(Server.State.LinkedIn.Images.All, i => i.Owner == author);
        var sent = Sent(token);
        Assert.Equal(
            [
                "POST /linkedin/rest/images?action=initializeUpload", $"PUT /linkedin/dms-uploads/{image.Id}",
                $"GET /linkedin/rest/images/{image.Urn}", "POST /linkedin/rest/posts",
            ],
            sent.Select(r => $"{r.Method} {r.Path}{r.QueryString}").ToList());
        Assert.Equal([200, 201, 403, 201], sent.Select(r => r.StatusCode));
        Assert.Single(Server.State.LinkedIn.Posts, p => p.Author == author);
        Assert.Equal(image.Urn, Assert.Single(_images.Uploaded).RemoteRef);
        using var create = JsonDocument.Parse(sent[3].Body);
        Assert.Equal(image.Urn, create.RootElement.GetProperty("content").GetProperty("media").GetProperty("id").GetString());
    }

    [Fact]
    public async Task PublishAsync_ThreeImages_MultiImageInOrderAndAnEmptyAltSendsNone()
    {
        var (account, token, author) = NewAccount("three");
        var content = Post("Three pictures.", Image(TestImages.Noise(20, 20, seed: 1), "First"), Image(TestImages.Noise(21, 21, seed: 2), ""), Image(TestImages.Noise(22, 22, seed: 3), "Third"));

        var outcome = await _adapter.PublishAsync(Request(content, account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var post = Assert.Single(Server.State.LinkedIn.Posts, p => p.Author == author);
        Assert.True(post.MultiImage);
        Assert.Equal(["First", null, "Third"], post.Images.Select(i => i.AltText));
        Assert.Equal(_images.Uploaded.Select(u => u.RemoteRef), post.Images.Select(i => i.Image.Urn));
        Assert.Equal([20, 21, 22], post.Images.Select(i => i.Image.Width));
        using var create = JsonDocument.Parse(Sent(token).Last().Body);
        var second = create.RootElement.GetProperty("content").GetProperty("multiImage").GetProperty("images")[1];
        Assert.False(second.TryGetProperty("altText", out _));
    }

    [Fact]
    public async Task PublishAsync_ImageOverFiveMegabytes_IsFittedAndAccepted()
    {
        var (account, _, author) = NewAccount("big");
        var big = TestImages.Noise(1800, 1400, SKEncodedImageFormat.Png);
        Assert.True(big.LongLength > 5_000_000, $"{big.Length} bytes");

        var outcome = await _adapter.PublishAsync(Request(Post("A big one.", Image(big, "Noise")), account));

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var image = Assert.Single(Assert.Single(Server.State.LinkedIn.Posts, p => p.Author == author).Images).Image;
        Assert.True(image.Bytes.LongLength <= 5_000_000, $"{image.Bytes.LongLength} bytes");
        Assert.Equal("image/jpeg", image.MediaType);
        Assert.InRange(image.Width / (double)image.Height, 1800 / 1400.0 - 0.01, 1800 / 1400.0 + 0.01);
    }

    [Fact]
    public async Task PublishAsync_CreateFailsAfterTheUpload_RetryReusesTheStoredUrn()
    {
        var (account, token, author) = NewAccount("retry");
        var content = Post("Once, with a picture.", Image(TestImages.Noise(30, 30), "Noise"));

        var first = await WithFaultsAsync(new SandboxFaults { RateLimitRate = 1, RetryAfterSeconds = 5, PathContains = "/rest/posts" }, Request(content, account));

        Assert.Equal(PublishOutcomeKind.RateLimited, first.Kind);
        var uploaded = Assert.Single(_images.Uploaded);

        var second = await _adapter.PublishAsync(Request(content, account) with { UploadedMedia = [.. _images.Uploaded] });

        Assert.True(second.Kind == PublishOutcomeKind.Published, second.Error);
        Assert.Single(Server.State.LinkedIn.Images.All, i => i.Owner == author);
        Assert.Single(Sent(token), r => r.Method == "PUT");
        Assert.Single(Sent(token), r => r.QueryString.Contains("initializeUpload", StringComparison.Ordinal));
        Assert.Equal(uploaded.RemoteRef, Assert.Single(Assert.Single(Server.State.LinkedIn.Posts, p => p.Author == author).Images).Image.Urn);
    }

    [Fact]
    public async Task PublishAsync_CreateAnswerLost_ResendWithTheSameImageNamesTheFirstPost()
    {
        var (account, token, author) = NewAccount("lost");
        var content = Post("Answer lost, post made.", Image(TestImages.Noise(22, 22), "Noise"));

        var outcome = await WithFaultsAsync(new SandboxFaults { ServerErrorAfterCommitRate = 1, PathContains = "/rest/posts" }, Request(content, account));
        var lookup = await _adapter.FindExistingAsync(Request(content, account));
        var resent = await _adapter.PublishAsync(Request(content, account) with { UploadedMedia = [.. _images.Uploaded] });

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Equal(ExistingPostState.NotFound, lookup.State);
        var post = Assert.Single(Server.State.LinkedIn.Posts, p => p.Author == author);
        Assert.Equal(PublishOutcomeKind.Published, resent.Kind);
        Assert.Equal(post.Urn, resent.ExternalId);
        Assert.Single(Sent(token), r => r.Method == "PUT");
    }

    [Fact]
    public async Task PublishAsync_StillProcessingPastTheBound_RetriedLaterWithTheSameUpload()
    {
        var (account, token, author) = NewAccount("slow");
        var content = Post("Slow processing.", Image(TestImages.Noise(18, 18), "Noise"));
        Server.State.Options.LinkedIn.ImageProcessingPolls = 31;

        var first = await _adapter.PublishAsync(Request(content, account));
        var second = await _adapter.PublishAsync(Request(content, account) with { UploadedMedia = [.. _images.Uploaded] });

        Assert.Equal(PublishOutcomeKind.Transient, first.Kind);
        Assert.Contains("still processing image 1", first.Error, StringComparison.Ordinal);
        Assert.True(second.Kind == PublishOutcomeKind.Published, second.Error);
        Assert.Single(Sent(token), r => r.Method == "PUT");
        Assert.Single(Server.State.LinkedIn.Posts, p => p.Author == author);
    }

    [Fact]
    public async Task PublishAsync_StoredUrnOfAnotherMemberOrGone_UploadedAgain()
    {
        var (owner, _, ownerUrn) = NewAccount("owner");
        await _adapter.PublishAsync(Request(Post("Mine.", Image(TestImages.Noise(10, 10), "Mine")), owner));
        var stolenUrn = Assert.Single(Server.State.LinkedIn.Images.All, i => i.Owner == ownerUrn).Urn;
        var (other, token, otherUrn) = NewAccount("other");
        var content = Post("Not mine.", Image(TestImages.Noise(11, 11), "Other"));
        var stolen = new UploadedMedia(0, 0, content.Images[0].Sha256!, stolenUrn, _fixture.Clock.GetUtcNow());

        var outcome = await _adapter.PublishAsync(Request(content, other) with { UploadedMedia = [stolen] });

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        var image = Assert.Single(Assert.Single(Server.State.LinkedIn.Posts, p => p.Author == otherUrn).Images).Image;
        Assert.NotEqual(stolenUrn, image.Urn);
        Assert.Equal(otherUrn, image.Owner);
        Assert.Single(Sent(token), r => r.Method == "PUT");
    }

    [Fact]
    public async Task PublishAsync_ManualMode_ListsTheImagesToAttachByHandAndSendsNothing()
    {
        var account = new Account { Platform = "linkedin", DisplayName = "manual" };
        var content = Post("By hand.", Image(TestImages.Noise(9, 9), "A brass bell"), Image(TestImages.Noise(9, 10), ""));
        var before = Server.Requests.For("linkedin").Count;

        var outcome = await _adapter.PublishAsync(Request(content, account));

        Assert.Equal(PublishOutcomeKind.ManualActionRequired, outcome.Kind);
        Assert.Contains("Attach these images by hand", outcome.Draft, StringComparison.Ordinal);
        Assert.Contains($"1. {Path.GetFileName(content.Images[0].Source)} — alt: A brass bell", outcome.Draft, StringComparison.Ordinal);
        Assert.Contains("2. ", outcome.Draft, StringComparison.Ordinal);
        Assert.Contains("(no alt text)", outcome.Draft, StringComparison.Ordinal);
        Assert.Equal(_adapter.Render(content, account).Body, outcome.Draft);
        Assert.Equal(before, Server.Requests.For("linkedin").Count);
    }

    [Fact]
    public void Validate_TooManyMissingAndOverlongAlt_NamedBeforeAnythingIsSent()
    {
        var (account, token, _) = NewAccount("validate");
        var images = Enumerable.Range(0, 21).Select(i => Image(TestImages.Noise(8, 8, seed: i), i == 2 ? null : i == 3 ? new string('x', 1_001) : "ok")).ToArray();

        var problems = _adapter.Validate(Post("Many.", images), account);

        Assert.Contains(problems, p => p.Field == "images" && p.Message.Contains("LinkedIn takes at most 20", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "images[2].alt" && p.Message.Contains("is required on LinkedIn", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "images[3].alt" && p.Message.Contains("at most 1,000", StringComparison.Ordinal));
        Assert.Empty(Sent(token));
    }

    [Fact]
    public void Render_ApiMode_ShowsWhereTheImageUrnsGo()
    {
        var (account, _, _) = NewAccount("render");

        var payload = _adapter.Render(Post("Preview.", Image(TestImages.Noise(8, 8), "x")), account);

        Assert.Contains("\"content\":{\"media\":{\"id\":\"{urn of image 1}\",\"altText\":\"x\"}}", payload.Body, StringComparison.Ordinal);
    }

    private Task<PublishOutcome> WithFaultsAsync(SandboxFaults faults, PublishRequest request) =>
        Server.WithFaultsAsync(faults, () => _adapter.PublishAsync(request));

    private ContentImage Image(byte[] bytes, string? alt) => _images.Image(bytes, alt);

    private static Content Post(string text, params ContentImage[] images) => StoredImages.Post(text, images);

    private PublishRequest Request(Content content, Account account) => _images.Request(content, account);

    private List<RecordedRequest> Sent(string token) =>
        [.. Server.Requests.For("linkedin").Where(r => r.Header("Authorization") == $"Bearer {token}")];

    private (Account Account, string Token, string Author) NewAccount(string name)
    {
        var token = $"token-{name}-{Guid.NewGuid():N}";
        var author = $"urn:li:person:{name}{Guid.NewGuid():N}";
        Server.State.LinkedIn.AddMember(token, author);
        var account = new Account
        {
            Platform = "linkedin",
            DisplayName = "LinkedIn images",
            Credentials = new AccountCredentials { ["access_token"] = token },
            BaseUrl = Server.PlatformBaseUrl("linkedin"),
            Settings = new Dictionary<string, string> { ["mode"] = "api", ["author_urn"] = author },
        };
        return (account, token, author);
    }
}
