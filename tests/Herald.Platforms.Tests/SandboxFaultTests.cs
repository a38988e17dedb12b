using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Platforms.Tests;

/// <summary>
/// The sandbox's "after commit" faults and its "no rate limits" switch, over real HTTP: the platform stores
/// the create whatever the client then hears, and with limits off nothing tells a client to slow down.
/// Each test runs its own sandbox, because faults and limits are process-wide.
/// </summary>
public sealed class SandboxFaultTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Create_ServerErrorAfterCommitSetThroughPut_PostIsStoredButTheClientGets502Or504()
    {
        await using var server = await StartAsync();
        using var put = await _http.PutAsJsonAsync(new Uri(server.BaseAddress, "_sandbox/faults"), new { serverErrorAfterCommitRate = 1.0 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        using var response = await CreateMediumPostAsync(server, _http, "Committed then 502");

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.BadGateway, HttpStatusCode.GatewayTimeout });
        Assert.DoesNotContain("\"data\"", await response.Content.ReadAsStringAsync());
        var stored = await PostsAsync(server, "medium");
        Assert.Single(stored, p => p.Text.StartsWith("Committed then 502\n", StringComparison.Ordinal));
        Assert.Equal((int)response.StatusCode, server.Requests.For("medium").Last().StatusCode);
    }

    [Fact]
    public async Task Create_ServerErrorAfterCommitButThePlatformRefused_KeepsThePlatformsOwnAnswer()
    {
        await using var server = await StartAsync(new SandboxFaults { ServerErrorAfterCommitRate = 1.0 });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.PlatformBaseUrl("medium") + "/users/ffff/posts"))
        {
            Content = new StringContent("""{"title":"t","contentFormat":"markdown","content":"x"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SandboxAccounts.MediumToken);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await PostsAsync(server, "medium"));
    }

    [Fact]
    public async Task Create_SlowAfterCommitPastTheClientsTimeout_PostIsStoredAndTheClientTimesOut()
    {
        await using var server = await StartAsync(new SandboxFaults { SlowAfterCommitRate = 1.0, SlowAfterCommitDelay = TimeSpan.FromMinutes(5) });
        // The hold is on the sandbox's fake clock, which this test never moves: only the client's timeout ends it.
        using var impatient = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        await Assert.ThrowsAsync<TaskCanceledException>(() => CreateMediumPostAsync(server, _http, "Committed then slow", impatient));

        await WaitUntilAsync(() => server.State.Medium.Posts.Any(p => p.Title == "Committed then slow"));
        var stored = await PostsAsync(server, "medium");
        Assert.Single(stored, p => p.Text.StartsWith("Committed then slow\n", StringComparison.Ordinal));
        Assert.True(server.Requests.For("medium").Last().Accepted);
    }

    [Fact]
    public async Task Create_SlowAfterCommit_AnswersTheCreateOnlyOnceTheDelayHasPassed()
    {
        var delay = TimeSpan.FromSeconds(45);
        await using var server = await StartAsync(new SandboxFaults { SlowAfterCommitRate = 1.0, SlowAfterCommitDelay = delay });

        var answer = CreateMediumPostAsync(server, _http, "Held answer");
        await WaitUntilAsync(() => server.State.Medium.Posts.Any(p => p.Title == "Held answer"));
        Assert.False(answer.IsCompleted);

        // The hold starts on the sandbox clock just after the store; move the clock until the answer comes.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!answer.IsCompleted && waited.Elapsed < Generous)
        {
            _clock.Advance(delay);
            await Task.WhenAny(answer, Task.Delay(50));
        }

        using var response = await answer;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(_clock.GetUtcNow() - new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero) >= delay);
    }

    [Fact]
    public async Task NoRateLimits_XPastItsWindow_No429AndNoRateLimitHeaders()
    {
        await using var server = await StartAsync(configure: o => o.X.CreatesPerWindow = 2);

        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.PlatformBaseUrl("x") + "/2/tweets"))
            {
                Content = JsonContent.Create(new { text = $"Unlimited {i}" }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SandboxAccounts.XAccessToken);
            using var response = await _http.SendAsync(request);

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            AssertNoRateLimitHeaders(response);
        }
    }

    [Fact]
    public async Task NoRateLimits_Mastodon_NoRateLimitHeaders()
    {
        await using var server = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.PlatformBaseUrl("mastodon") + "/api/v1/statuses"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["status"] = "No limits here" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SandboxAccounts.MastodonToken);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertNoRateLimitHeaders(response);
    }

    [Fact]
    public async Task NoRateLimits_BlueskyPastItsWritePoints_No429AndNoRateLimitHeaders()
    {
        // Two creates' worth of points (3 each): the third and fourth went 429 while the spent points were still
        // counted with the switch off, so a long load against a standalone sandbox stalled once it passed them.
        await using var server = await StartAsync(configure: o => o.Bluesky.WritePointsPerHour = 6);
        var xrpc = server.PlatformBaseUrl("bluesky") + "/xrpc/";
        using var session = await _http.PostAsync(
            xrpc + "com.atproto.server.createSession",
            JsonContent.Create(new { identifier = SandboxAccounts.BlueskyHandle, password = SandboxAccounts.BlueskyAppPassword }));
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        AssertNoRateLimitHeaders(session);
        using var sessionJson = JsonDocument.Parse(await session.Content.ReadAsStringAsync());
        var accessJwt = sessionJson.RootElement.GetProperty("accessJwt").GetString();

        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, xrpc + "com.atproto.repo.createRecord")
            {
                Content = new StringContent(
                    $$$"""{"repo":"{{{SandboxAccounts.BlueskyDid}}}","collection":"app.bsky.feed.post","record":{"$type":"app.bsky.feed.post","text":"No limits {{{i}}}","createdAt":"2026-11-24T09:00:00.000Z"}}""",
                    Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessJwt);
            using var response = await _http.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertNoRateLimitHeaders(response);
        }

        Assert.Equal(4, (await PostsAsync(server, "bluesky")).Count);
    }

    [Fact]
    public async Task NoRateLimits_ThreadsPublishingLimit_ReportsNoQuota()
    {
        await using var server = await StartAsync();

        using var response = await _http.GetAsync(
            $"{server.PlatformBaseUrl("threads")}/{SandboxAccounts.ThreadsUserId}/threads_publishing_limit?fields=quota_usage,config&access_token={SandboxAccounts.ThreadsToken}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(0, json.RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task NoRateLimits_DevToPastItsWindow_No429()
    {
        await using var server = await StartAsync(configure: o => o.DevTo.CreatesPerWindow = 2);

        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.PlatformBaseUrl("devto") + "/articles"))
            {
                Content = JsonContent.Create(new { article = new { title = $"Unlimited {i}", body_markdown = $"Body {i}", published = true } }),
            };
            request.Headers.Add("api-key", SandboxAccounts.DevToKey);
            using var response = await _http.SendAsync(request);

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            AssertNoRateLimitHeaders(response);
        }
    }

    [Fact]
    public async Task Posts_AThreadOnX_ListsEachPartWithThePartItAnswers()
    {
        await using var server = await StartAsync();
        string? previous = null;
        for (var part = 1; part <= 3; part++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.PlatformBaseUrl("x") + "/2/tweets"))
            {
                Content = JsonContent.Create(previous is null
                    ? (object)new { text = $"Part {part}" }
                    : new { text = $"Part {part}", reply = new { in_reply_to_tweet_id = previous } }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SandboxAccounts.XAccessToken);
            using var response = await _http.SendAsync(request);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            previous = json.RootElement.GetProperty("data").GetProperty("id").GetString();
        }

        var posts = await PostsAsync(server, "x");

        Assert.Equal(["Part 1", "Part 2", "Part 3"], posts.Select(p => p.Text));
        Assert.Null(posts[0].ReplyToId);
        Assert.Equal(posts[0].Id, posts[1].ReplyToId);
        Assert.Equal(posts[1].Id, posts[2].ReplyToId);
    }

    private async Task<SandboxServer> StartAsync(SandboxFaults? faults = null, Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { TimeProvider = _clock, Random = new Random(7), Faults = faults ?? SandboxFaults.None, DisableRateLimits = true };
        configure?.Invoke(options);
        return await SandboxServer.StartAsync(options);
    }

    /// <summary>Looks the Medium user up with <paramref name="http"/>, then creates with <paramref name="createWith"/> (default the same).</summary>
    private static async Task<HttpResponseMessage> CreateMediumPostAsync(SandboxServer server, HttpClient http, string title, HttpClient? createWith = null)
    {
        var baseUrl = server.PlatformBaseUrl("medium");
        using var me = new HttpRequestMessage(HttpMethod.Get, baseUrl + "/me");
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SandboxAccounts.MediumToken);
        using var meResponse = await http.SendAsync(me);
        using var meJson = JsonDocument.Parse(await meResponse.Content.ReadAsStringAsync());
        var userId = meJson.RootElement.GetProperty("data").GetProperty("id").GetString();

        using var create = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/users/{userId}/posts")
        {
            Content = JsonContent.Create(new { title, contentFormat = "markdown", content = $"# {title}\n\nBody." }),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SandboxAccounts.MediumToken);
        return await (createWith ?? http).SendAsync(create);
    }

    private async Task<List<SandboxPost>> PostsAsync(SandboxServer server, string platform) =>
        await _http.GetFromJsonAsync<List<SandboxPost>>(new Uri(server.BaseAddress, $"_sandbox/posts?platform={platform}"), JsonSerializerOptions.Web) ?? [];

    private static void AssertNoRateLimitHeaders(HttpResponseMessage response)
    {
        var names = response.Headers.Select(h => h.Key).ToList();
        Assert.DoesNotContain(names, n =>
            n.StartsWith("x-rate-limit-", StringComparison.OrdinalIgnoreCase) ||
            n.StartsWith("X-RateLimit-", StringComparison.OrdinalIgnoreCase) ||
            n.StartsWith("RateLimit-", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < Generous, "the condition did not come true within the deadline");
            await Task.Delay(20);
        }
    }
}
