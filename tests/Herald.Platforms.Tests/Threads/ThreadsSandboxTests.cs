using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Sandbox.Threads;

namespace Herald.Platforms.Tests.Threads;

/// <summary>
/// The sandbox's Threads simulator, spoken to with a raw HttpClient: the behaviour docs/platforms.md, Threads describes,
/// including what Herald's adapter never sends (a bearer header, a container id as reply_to_id, a publish
/// before the container is ready, a second publish of one container).
/// </summary>
public sealed class ThreadsSandboxTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly HttpClient _http = new();

    public ThreadsSandboxTests(SandboxFixture fixture) => _fixture = fixture;

    private SandboxState State => _fixture.Server.State;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Publish_FinishedContainer_MediaIdFromAnotherRangeWithPermalinkAndStatusPublished()
    {
        var (token, user) = NewUser("publish");
        var container = await CreateAsync(token, "Hello from the sandbox");

        using var status = await GetAsync($"{container}?fields=status,error_message", token);
        Assert.Equal("""{"status":"FINISHED","id":"%"}""".Replace("%", container, StringComparison.Ordinal), await status.Content.ReadAsStringAsync());

        var media = await PublishAsync(token, container);
        Assert.StartsWith("178", container);
        Assert.StartsWith("180", media);
        Assert.Equal(17, media.Length);

        using var after = await GetAsync($"{container}?fields=status", token);
        Assert.Equal("PUBLISHED", (await JsonAsync(after)).GetProperty("status").GetString());

        using var read = await GetAsync($"{media}?fields=id,permalink,text,timestamp,username,shortcode,media_type", token);
        var root = await JsonAsync(read);
        var shortcode = root.GetProperty("shortcode").GetString();
        Assert.Equal($"https://www.threads.net/@{user.Username}/post/{shortcode}", root.GetProperty("permalink").GetString());
        Assert.Equal("Hello from the sandbox", root.GetProperty("text").GetString());
        Assert.Equal("TEXT_POST", root.GetProperty("media_type").GetString());
        Assert.Equal(
            _fixture.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", System.Globalization.CultureInfo.InvariantCulture),
            root.GetProperty("timestamp").GetString());
        Assert.Matches("^D[A-Za-z0-9_-]{10}$", shortcode);
    }

    [Fact]
    public async Task Token_OnlyAsBearerHeader_Refused190_ButAsQueryParameterOnPostAccepted()
    {
        var (token, user) = NewUser("bearer");

        using var request = new HttpRequestMessage(HttpMethod.Post, Url($"{user.Id}/threads"))
        {
            Content = new FormUrlEncodedContent([new("media_type", "TEXT"), new("text", "Bearer only")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var bearer = await _http.SendAsync(request);
        using var query = await _http.PostAsync(
            Url($"{user.Id}/threads?access_token={token}"), new FormUrlEncodedContent([new("media_type", "TEXT"), new("text", "Token in the query")]));

        Assert.Equal(HttpStatusCode.BadRequest, bearer.StatusCode);
        var error = (await JsonAsync(bearer)).GetProperty("error");
        Assert.Equal(190, error.GetProperty("code").GetInt32());
        Assert.Equal("OAuthException", error.GetProperty("type").GetString());
        Assert.True(error.TryGetProperty("fbtrace_id", out _));
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
    }

    [Fact]
    public async Task Create_PathUserIsSomeoneElse_Refused100Subcode33()
    {
        var (token, _) = NewUser("otherpath");

        using var response = await PostAsync("26012345678901234/threads", token, [new("media_type", "TEXT"), new("text", "Not mine")]);

        var error = (await JsonAsync(response)).GetProperty("error");
        Assert.Equal(100, error.GetProperty("code").GetInt32());
        Assert.Equal(33, error.GetProperty("error_subcode").GetInt32());
    }

    [Fact]
    public async Task Create_EmojiCountTheirUtf8Bytes_500AcceptedAnd501Refused()
    {
        var (token, _) = NewUser("length");

        using var fits = await PostAsync("me/threads", token, [new("media_type", "TEXT"), new("text", new string('a', 496) + "👍")]);
        using var over = await PostAsync("me/threads", token, [new("media_type", "TEXT"), new("text", new string('a', 497) + "👍")]);

        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        var error = (await JsonAsync(over)).GetProperty("error");
        Assert.Equal(100, error.GetProperty("code").GetInt32());
        Assert.Contains("501 characters", error.GetProperty("error_user_msg").GetString());
    }

    [Fact]
    public async Task Create_SixUniqueLinks_LinkLimitExceeded_ButOneLinkSixTimesAccepted()
    {
        var (token, _) = NewUser("links");
        var six = string.Join(' ', Enumerable.Range(1, 6).Select(i => $"https://example.com/{i}"));
        var repeated = string.Join(' ', Enumerable.Repeat("https://example.com/same", 6));

        using var refused = await PostAsync("me/threads", token, [new("media_type", "TEXT"), new("text", six)]);
        using var accepted = await PostAsync("me/threads", token, [new("media_type", "TEXT"), new("text", repeated)]);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("THREADS_API__LINK_LIMIT_EXCEEDED", (await JsonAsync(refused)).GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Create_MissingTextOrImageUrlOrOtherMediaType_Refused100()
    {
        var (token, _) = NewUser("fields");

        using var noText = await PostAsync("me/threads", token, [new("media_type", "TEXT")]);
        using var image = await PostAsync("me/threads", token, [new("media_type", "IMAGE"), new("text", "x")]);
        using var badControl = await PostAsync("me/threads", token, [new("media_type", "TEXT"), new("text", "x"), new("reply_control", "nobody")]);

        Assert.Equal(100, (await JsonAsync(noText)).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("image_url is required", (await JsonAsync(image)).GetProperty("error").GetProperty("message").GetString());
        Assert.Contains("reply_control", (await JsonAsync(badControl)).GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Create_ReplyToAContainerId_RefusedBecauseRepliesNameThePublishedMediaId()
    {
        var (token, _) = NewUser("replyto");
        var container = await CreateAsync(token, "Root");
        var media = await PublishAsync(token, container);

        using var toContainer = await PostAsync("me/threads", token, [new("media_type", "TEXT"), new("text", "Reply"), new("reply_to_id", container)]);
        using var toMedia = await PostAsync("me/threads", token, [new("media_type", "TEXT"), new("text", "Reply"), new("reply_to_id", media)]);

        Assert.Equal(HttpStatusCode.BadRequest, toContainer.StatusCode);
        Assert.Contains("reply_to_id", (await JsonAsync(toContainer)).GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, toMedia.StatusCode);
    }

    [Fact]
    public async Task Create_ReplyWithoutManageRepliesPermission_Refused10()
    {
        var (owner, _) = NewUser("replyperm", new HashSet<string> { ThreadsPermissions.Basic, ThreadsPermissions.ContentPublish });
        var media = await PublishAsync(owner, await CreateAsync(owner, "Root"));

        using var reply = await PostAsync("me/threads", owner, [new("media_type", "TEXT"), new("text", "Reply"), new("reply_to_id", media)]);

        Assert.Equal(HttpStatusCode.Forbidden, reply.StatusCode);
        Assert.Equal(10, (await JsonAsync(reply)).GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Publish_UnknownOrAlreadyPublishedCreationId_GraphErrorAndOnePost()
    {
        var (token, user) = NewUser("twice");
        var container = await CreateAsync(token, "Only once");
        await PublishAsync(token, container);

        using var again = await PostAsync("me/threads_publish", token, [new("creation_id", container)]);
        using var unknown = await PostAsync("me/threads_publish", token, [new("creation_id", "17800000000000000")]);

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already been published", (await JsonAsync(again)).GetProperty("error").GetProperty("message").GetString());
        var error = (await JsonAsync(unknown)).GetProperty("error");
        Assert.Equal(100, error.GetProperty("code").GetInt32());
        Assert.Equal(33, error.GetProperty("error_subcode").GetInt32());
        Assert.Single(State.Threads.Posts, p => p.UserId == user.Id);
    }

    [Fact]
    public async Task Publish_BeforeTheContainerIsReady_Error24Subcode4279009UntilTheStatusChecksPass()
    {
        var (token, _) = NewUser("early");
        State.Options.Threads.NotFoundPolls = 1;
        State.Options.Threads.InProgressPolls = 1;
        string container;
        try
        {
            container = await CreateAsync(token, "Too early");
        }
        finally
        {
            State.Options.Threads.NotFoundPolls = 0;
            State.Options.Threads.InProgressPolls = 0;
        }

        using var early = await PostAsync("me/threads_publish", token, [new("creation_id", container)]);
        var notFound = (await JsonAsync(early)).GetProperty("error");
        Assert.Equal(24, notFound.GetProperty("code").GetInt32());
        Assert.Equal(4279009, notFound.GetProperty("error_subcode").GetInt32());

        using var first = await GetAsync($"{container}?fields=status", token);
        Assert.Equal(4279009, (await JsonAsync(first)).GetProperty("error").GetProperty("error_subcode").GetInt32());
        using var second = await GetAsync($"{container}?fields=status", token);
        Assert.Equal("IN_PROGRESS", (await JsonAsync(second)).GetProperty("status").GetString());
        using var third = await GetAsync($"{container}?fields=status", token);
        Assert.Equal("FINISHED", (await JsonAsync(third)).GetProperty("status").GetString());
        Assert.StartsWith("180", await PublishAsync(token, container));
    }

    [Fact]
    public async Task Container_NotPublishedWithin24Hours_ExpiredAndRefused()
    {
        var (token, _) = NewUser("expiry");
        var container = await CreateAsync(token, "Forgotten");
        _fixture.Clock.Advance(TimeSpan.FromHours(24));

        using var status = await GetAsync($"{container}?fields=status", token);
        using var publish = await PostAsync("me/threads_publish", token, [new("creation_id", container)]);

        Assert.Equal("EXPIRED", (await JsonAsync(status)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, publish.StatusCode);
        Assert.Contains("expired", (await JsonAsync(publish)).GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task PublishingLimit_CountsPostsAndRepliesApartAndRefusesPastTheQuota()
    {
        var (token, _) = NewUser("limit");
        State.Options.Threads.PostsPer24Hours = 2;
        try
        {
            var root = await PublishAsync(token, await CreateAsync(token, "Limit 1"));
            await PublishAsync(token, await CreateAsync(token, "Limit 2"));
            await PublishAsync(token, await CreateAsync(token, "A reply", root));

            using var limit = await GetAsync("me/threads_publishing_limit?fields=quota_usage,config,reply_quota_usage,reply_config", token);
            Assert.Equal(
                """{"data":[{"quota_usage":2,"config":{"quota_total":2,"quota_duration":86400},"reply_quota_usage":1,"reply_config":{"quota_total":1000,"quota_duration":86400}}]}""",
                await limit.Content.ReadAsStringAsync());

            var third = await CreateAsync(token, "Limit 3");
            using var refused = await PostAsync("me/threads_publish", token, [new("creation_id", third)]);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var error = (await JsonAsync(refused)).GetProperty("error");
            Assert.Equal(4, error.GetProperty("code").GetInt32());
            Assert.Equal("Publishing limit reached", error.GetProperty("error_user_title").GetString());

            // Rolling: a full day after the first two, there is room again.
            _fixture.Clock.Advance(TimeSpan.FromHours(24));
            Assert.StartsWith("180", await PublishAsync(token, await CreateAsync(token, "Limit 3 again")));
        }
        finally
        {
            State.Options.Threads.PostsPer24Hours = 250;
        }
    }

    [Fact]
    public async Task ListOwnPosts_NewestFirstWithCursorsSinceAndRequestedFieldsOnly()
    {
        var (token, user) = NewUser("listing");
        var ids = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            ids.Add(await PublishAsync(token, await CreateAsync(token, $"Listed {i}")));
            _fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        using var firstPage = await GetAsync("me/threads?fields=id,text&limit=2", token);
        var first = await JsonAsync(firstPage);
        Assert.Equal([ids[2], ids[1]], first.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(["id", "text"], first.GetProperty("data")[0].EnumerateObject().Select(p => p.Name));
        var next = first.GetProperty("paging").GetProperty("next").GetString()!;
        Assert.Contains($"access_token={token}", next);

        using var secondPage = await _http.GetAsync(next);
        var second = await JsonAsync(secondPage);
        Assert.Equal([ids[0]], second.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.False(second.GetProperty("paging").TryGetProperty("next", out _));

        var since = State.Threads.Posts.Single(p => p.Id == ids[1]).Timestamp.ToUnixTimeSeconds();
        using var recent = await GetAsync($"{user.Id}/threads?since={since}", token);
        Assert.Equal([ids[2], ids[1]], (await JsonAsync(recent)).GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetString()));

        using var unknownField = await GetAsync("me/threads?fields=id,replied_to", token);
        Assert.Contains("nonexisting field (replied_to)", (await JsonAsync(unknownField)).GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ReadNode_MeAndOtherProfilesObjects_ProfileFieldsOrRefused()
    {
        var (token, user) = NewUser("nodes");
        var (other, _) = NewUser("nodes-other");
        var othersContainer = await CreateAsync(other, "Not yours");

        using var me = await GetAsync("me?fields=id,username", token);
        using var foreign = await GetAsync($"{othersContainer}?fields=status", token);

        Assert.Equal($$"""{"id":"{{user.Id}}","username":"{{user.Username}}"}""", await me.Content.ReadAsStringAsync());
        Assert.Equal(33, (await JsonAsync(foreign)).GetProperty("error").GetProperty("error_subcode").GetInt32());
    }

    [Fact]
    public async Task ExpiredToken_Refused190Subcode463()
    {
        var (token, _) = NewUser("expiredtoken", expiresAt: _fixture.Clock.GetUtcNow());

        using var response = await GetAsync("me?fields=id", token);

        var error = (await JsonAsync(response)).GetProperty("error");
        Assert.Equal(190, error.GetProperty("code").GetInt32());
        Assert.Equal(463, error.GetProperty("error_subcode").GetInt32());
    }

    [Fact]
    public async Task Faults_LimitedToOnePathAndCount_OnlyThatPathFailsAndOnlyOnce()
    {
        var (token, _) = NewUser("faults");
        State.Faults = new SandboxFaults { ServerErrorRate = 1, PathContains = "/threads_publish", MaxFaults = 1 };
        try
        {
            var container = await CreateAsync(token, "Faulted publish");

            using var failed = await PostAsync("me/threads_publish", token, [new("creation_id", container)]);
            using var worked = await PostAsync("me/threads_publish", token, [new("creation_id", container)]);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.Equal(HttpStatusCode.OK, worked.StatusCode);
        }
        finally
        {
            State.Faults = SandboxFaults.None;
        }
    }

    [Fact]
    public void SandboxAccount_KnownFromTheStart()
    {
        var (user, error) = State.Threads.Authenticate(SandboxAccounts.ThreadsToken);

        Assert.Null(error);
        Assert.Equal(SandboxAccounts.ThreadsUserId, user!.Id);
        Assert.Equal(new Uri(_fixture.Server.BaseAddress, "threads/v1.0"), _fixture.Server.PlatformBaseUrl("threads"));
    }

    private (string Token, ThreadsUser User) NewUser(string name, IReadOnlySet<string>? permissions = null, DateTimeOffset? expiresAt = null)
    {
        var token = $"raw-{name}-{Guid.NewGuid():N}";
        return (token, State.Threads.AddUser(token, $"raw_{name}", permissions, expiresAt));
    }

    private async Task<string> CreateAsync(string token, string text, string? replyToId = null)
    {
        var fields = new List<KeyValuePair<string, string>> { new("media_type", "TEXT"), new("text", text) };
        if (replyToId is not null)
        {
            fields.Add(new("reply_to_id", replyToId));
        }

        using var response = await PostAsync("me/threads", token, fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("id").GetString()!;
    }

    private async Task<string> PublishAsync(string token, string containerId)
    {
        using var response = await PostAsync("me/threads_publish", token, [new("creation_id", containerId)]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("id").GetString()!;
    }

    private Task<HttpResponseMessage> PostAsync(string path, string token, IEnumerable<KeyValuePair<string, string>> fields) =>
        _http.PostAsync(Url(path), new FormUrlEncodedContent(fields.Append(new("access_token", token))));

    private Task<HttpResponseMessage> GetAsync(string pathAndQuery, string token) =>
        _http.GetAsync(Url(pathAndQuery + (pathAndQuery.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"access_token={token}"));

    private Uri Url(string path) => new(_fixture.Server.BaseAddress, "threads/v1.0/" + path);

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
