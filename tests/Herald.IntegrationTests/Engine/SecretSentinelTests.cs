using Herald.Contents;
using Herald.Engine;
using Herald.Platforms;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;

namespace Herald.IntegrationTests.Engine;

/// <summary>
/// Every credential Herald holds is a unique random sentinel, the sandbox knows them, and Herald runs its
/// publish, refusal, retry, token-renewal and session flows over HTTP with SQLite storage. No sentinel, and no
/// token the sandbox hands out, may then be found in a log line, an error column, a stored payload or a result.
/// </summary>
public sealed class SecretSentinelTests
{
    [Fact]
    public async Task Flows_WithSentinelCredentials_NoSecretReachesLogsErrorsPayloadsOrOutput()
    {
        var secrets = new SentinelSecrets();
        var logs = new CollectingLoggerProvider();
        await using var world = await SentinelWorld.StartAsync(logs);
        var sandbox = world.Sandbox.State;
        var results = new List<PublishOutcome>();

        // Successful posts, one per platform, each with sentinel credentials the sandbox was told about.
        var devToKey = secrets.New();
        sandbox.DevTo.AddUser(devToKey, "sentinel_devto");
        var devTo = world.Account("devto", new() { ["api_key"] = devToKey });
        results.Add(await world.RunAsync(RunnerHarness.Article("Sentinel Dev.to"), devTo));

        var linkedInToken = secrets.New();
        sandbox.LinkedIn.AddMember(linkedInToken, "urn:li:person:sentinel");
        var linkedInSettings = new Dictionary<string, string> { ["mode"] = "api", ["author_urn"] = "urn:li:person:sentinel" };
        results.Add(await world.RunAsync(Post("Sentinel LinkedIn"), world.Account("linkedin", new() { ["access_token"] = linkedInToken }, linkedInSettings)));

        var mediumToken = secrets.New();
        sandbox.Medium.AddUser(mediumToken, "sentinel_medium");
        results.Add(await world.RunAsync(RunnerHarness.Article("Sentinel Medium"), world.Account("medium", new() { ["access_token"] = mediumToken })));

        var mastodonToken = secrets.New();
        sandbox.Mastodon.AddAccount(mastodonToken, "sentinel_mastodon");
        results.Add(await world.RunAsync(Post("Sentinel Mastodon"), world.Account("mastodon", new() { ["access_token"] = mastodonToken })));

        var threadsToken = secrets.New();
        var threadsUser = sandbox.Threads.AddUser(threadsToken, "sentinel_threads");
        var threadsSettings = new Dictionary<string, string> { ["user_id"] = threadsUser.Id };
        results.Add(await world.RunAsync(Post("Sentinel Threads"), world.Account("threads", new() { ["access_token"] = threadsToken }, threadsSettings)));

        // Bluesky: the app password opens a session; the session's tokens go into the account and are secrets too.
        var blueskyPassword = secrets.New();
        sandbox.Bluesky.AddAccount("sentinel.bsky.social", blueskyPassword);
        var bluesky = world.Account("bluesky", new() { ["identifier"] = "sentinel.bsky.social", ["app_password"] = blueskyPassword });
        results.Add(await world.RunAsync(Post("Sentinel Bluesky"), bluesky));

        // X with OAuth 1.0a: four sentinels sign every call.
        var xUser = sandbox.X.AddUser("sentinel_x");
        var (consumerKey, consumerSecret, oauth1Token, oauth1Secret) = (secrets.New(), secrets.New(), secrets.New(), secrets.New());
        sandbox.X.AddConsumer(consumerKey, consumerSecret);
        sandbox.X.AddOAuth1Token(xUser, consumerKey, oauth1Token, oauth1Secret);
        results.Add(await world.RunAsync(Post("Sentinel X OAuth 1.0a"), world.Account("x", new()
        {
            ["consumer_key"] = consumerKey,
            ["consumer_secret"] = consumerSecret,
            ["access_token"] = oauth1Token,
            ["access_token_secret"] = oauth1Secret,
        })));

        // X with OAuth 2.0: an expired sentinel access token is renewed with the refresh token and a confidential
        // client's sentinel secret; the renewed pair the sandbox hands out is read back and scanned for as well.
        const string clientId = "sentinel-x-client";
        var clientSecret = secrets.New();
        sandbox.X.AddClient(clientId, clientSecret);
        var expiredToken = secrets.New();
        sandbox.X.AddAccessToken(xUser, expiredToken, DateTimeOffset.UnixEpoch);
        var issued = sandbox.X.IssueTokens(xUser, clientId);
        secrets.Add(issued.AccessToken);
        secrets.Add(issued.RefreshToken);
        var renewing = world.Account("x", new()
        {
            ["access_token"] = expiredToken,
            ["refresh_token"] = issued.RefreshToken,
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        });
        results.Add(await world.RunAsync(Post("Sentinel X renewed"), renewing));

        // A retryable failure: the first create answers 503, Herald looks it up, schedules a retry, then posts.
        sandbox.Faults = new SandboxFaults { ServerErrorRate = 1, MaxFaults = 1, PathContains = "/api/articles" };
        var retried = await world.ScheduleAsync(RunnerHarness.Article("Sentinel retry"), devTo);
        results.Add(await world.RunScheduledAsync(retried));
        Assert.Equal(PublicationStatus.RetryScheduled, (await world.LoadAsync(retried.Publication.Id)).Status);
        world.Clock.Advance(TimeSpan.FromMinutes(5));
        results.Add(await world.RunScheduledAsync(retried with { Publication = await world.LoadAsync(retried.Publication.Id) }));
        sandbox.Faults = SandboxFaults.None;

        // Threads carries its token in the query of its reads and the form of its writes; after a 503 on publish
        // Herald checks the container and publishes it within the same attempt, so the logs hold those reads.
        sandbox.Faults = new SandboxFaults { ServerErrorRate = 1, MaxFaults = 1, PathContains = "/threads_publish" };
        var threadsFault = await world.RunAsync(Post("Sentinel Threads fault"), world.Account("threads", new() { ["access_token"] = threadsToken }, threadsSettings));
        Assert.True(threadsFault.IsSuccess, threadsFault.ToString());
        Assert.Contains(world.Sandbox.Requests.For("threads"), r => r.StatusCode == 503);
        results.Add(threadsFault);
        sandbox.Faults = SandboxFaults.None;

        // Refusals: a wrong sentinel for every platform (401/403 paths), and an X refresh the sandbox refuses.
        results.Add(await world.RunAsync(RunnerHarness.Article("Wrong Dev.to key"), world.Account("devto", new() { ["api_key"] = secrets.New() })));
        results.Add(await world.RunAsync(Post("Wrong LinkedIn token"), world.Account("linkedin", new() { ["access_token"] = secrets.New() }, linkedInSettings)));
        results.Add(await world.RunAsync(RunnerHarness.Article("Wrong Medium token"), world.Account("medium", new() { ["access_token"] = secrets.New() })));
        results.Add(await world.RunAsync(Post("Wrong Mastodon token"), world.Account("mastodon", new() { ["access_token"] = secrets.New() })));
        results.Add(await world.RunAsync(Post("Wrong Threads token"), world.Account("threads", new() { ["access_token"] = secrets.New() }, threadsSettings)));
        results.Add(await world.RunAsync(Post("Wrong Bluesky password"), world.Account("bluesky", new()
        {
            ["identifier"] = "sentinel.bsky.social",
            ["app_password"] = secrets.New(),
        })));
        results.Add(await world.RunAsync(Post("Wrong X OAuth 1.0a"), world.Account("x", new()
        {
            ["consumer_key"] = consumerKey,
            ["consumer_secret"] = secrets.New(),
            ["access_token"] = oauth1Token,
            ["access_token_secret"] = secrets.New(),
        })));
        results.Add(await world.RunAsync(Post("Wrong X refresh"), world.Account("x", new()
        {
            ["access_token"] = secrets.New(),
            ["refresh_token"] = secrets.New(),
            ["client_id"] = clientId,
            ["client_secret"] = secrets.New(),
        })));

        // The same refusals through the engine's direct publish, which returns without storing a publication.
        results.Add(await world.Engine.PublishAsync(RunnerHarness.Article("Engine, wrong key"), world.Account("devto", new() { ["api_key"] = secrets.New() })));
        results.Add(await world.Engine.PublishAsync(Post("Engine, wrong X refresh"), world.Account("x", new()
        {
            ["access_token"] = secrets.New(),
            ["refresh_token"] = secrets.New(),
            ["client_id"] = clientId,
            ["client_secret"] = secrets.New(),
        })));

        // Tokens Herald was handed along the way (X's renewed pair, Bluesky's session) are secrets as well.
        var stored = await world.StoredCredentialsAsync();
        foreach (var value in stored.SelectMany(c => c.Where(kv => SentinelSecrets.IsSecretKey(kv.Key)).Select(kv => kv.Value)))
        {
            secrets.Add(value);
        }

        Assert.Contains(stored, c => c.ContainsKey("access_jwt") && c.ContainsKey("refresh_jwt"));
        Assert.Contains(stored, c => c.TryGetValue("refresh_token", out var token) && token != issued.RefreshToken && c.ContainsKey("client_secret"));

        // The flows did what they should, so the scan below looks at real text.
        Assert.Equal(10, results.Count(r => r.IsSuccess));
        Assert.Equal(10, results.Count(r => r.Kind == PublishOutcomeKind.Permanent));
        var columns = await world.TextColumnsAsync();
        var lines = logs.Lines;
        Assert.True(lines.Count > 20, $"only {lines.Count} log lines were captured");
        Assert.Contains(lines, l => l.StartsWith("System.Net.Http.HttpClient.", StringComparison.Ordinal));
        Assert.True(columns.LastErrors.Count(e => e.Length > 0) >= 8, "publications.last_error holds too few errors");
        Assert.True(columns.AttemptErrors.Count(e => e.Length > 0) >= 8, "attempts.error holds too few errors");
        Assert.True(columns.Payloads.Count(p => p.Length > 0) >= 9, "publications.payload holds too few payloads");
        Assert.True(secrets.Count >= 25, $"only {secrets.Count} secrets to look for");

        // Negative control: the scan finds a secret when it is there, even inside other text.
        Assert.Equal([expiredToken], secrets.FoundIn($"Bearer {expiredToken}, then more"));
        Assert.Equal([stored.First(c => c.ContainsKey("access_jwt"))["access_jwt"]], secrets.FoundIn("jwt=" + stored.First(c => c.ContainsKey("access_jwt"))["access_jwt"]));

        var leaks = new List<string>();
        leaks.AddRange(secrets.Leaks("log", lines));
        leaks.AddRange(secrets.Leaks("publications.last_error", columns.LastErrors));
        leaks.AddRange(secrets.Leaks("attempts.error", columns.AttemptErrors));
        leaks.AddRange(secrets.Leaks("publications.payload", columns.Payloads));
        leaks.AddRange(secrets.Leaks("result", results.Select(r => r.ToString())));
        Assert.True(leaks.Count == 0, string.Join('\n', leaks));
    }

    private static Content Post(string text) => new() { Type = ContentType.Post, Body = $"{text}: published once, {Guid.NewGuid():N}" };
}
