using System.Net;
using System.Net.Sockets;
using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms.Threads;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Sandbox.Threads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Platforms.Tests.Threads;

/// <summary>
/// The Threads adapter, built by DI, against the sandbox over real HTTP. Each test posts as its own sandbox
/// profile (own token, own user id), so quotas and own-post listings do not mix. The adapter waits with zero
/// delays here (and the sandbox counts status checks, not time), so nothing depends on the frozen clock moving;
/// the backoff itself is shown with a clock that records every wait.
/// </summary>
public sealed class ThreadsAdapterTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly ServiceProvider _services;
    private readonly IPlatformAdapter _adapter;

    public ThreadsAdapterTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _services = Build(fixture.Clock);
        _adapter = _services.GetRequiredService<PlatformRegistry>().Resolve("threads");
    }

    private SandboxServer Server => _fixture.Server;

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task PublishAsync_Post_SendsExactRequestsInOrderAndReturnsMediaIdAndPermalink()
    {
        var (account, token, user) = NewAccount("exact");
        var content = Post("Hello Threads 👋 from Herald, see https://example.com/a & more");

        var outcome = await _adapter.PublishAsync(Request(content, account));

        var sent = Sent(token);
        var post = Assert.Single(Server.State.Threads.Posts, p => p.UserId == user.Id);
        var container = Assert.Single(Server.State.Threads.Containers, c => c.UserId == user.Id);
        var prefix = $"/threads/v1.0/{user.Id}";
        Assert.Equal(
            [
                ("GET", $"{prefix}/threads_publishing_limit", $"?fields=quota_usage,config,reply_quota_usage,reply_config&access_token={token}"),
                ("POST", $"{prefix}/threads", ""),
                ("GET", $"/threads/v1.0/{container.Id}", $"?fields=status,error_message&access_token={token}"),
                ("POST", $"{prefix}/threads_publish", ""),
                ("GET", $"/threads/v1.0/{post.Id}", $"?fields=permalink&access_token={token}"),
            ],
            sent.Select(r => (r.Method, r.Path, r.QueryString)));

        var create = sent[1];
        Assert.Equal("application/x-www-form-urlencoded", create.Header("Content-Type"));
        Assert.Equal(_adapter.Render(content, account).Body + $"&access_token={token}", create.Body);
        Assert.Equal(
            $"media_type=TEXT&text=Hello+Threads+%F0%9F%91%8B+from+Herald%2C+see+https%3A%2F%2Fexample.com%2Fa+%26+more&access_token={token}",
            create.Body);
        Assert.Equal($"creation_id={container.Id}&access_token={token}", sent[3].Body);
        Assert.All(sent, r => Assert.Null(r.Header("Authorization")));

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(200, outcome.HttpStatus);
        Assert.Equal(post.Id, outcome.ExternalId);
        Assert.Equal(post.Permalink, outcome.Url);
        Assert.Equal(new Uri($"https://www.threads.net/@{user.Username}/post/{post.Shortcode}"), outcome.Url);
        Assert.Equal(content.Body, post.Text);
        Assert.NotEqual(container.Id, post.Id);
        Assert.StartsWith("178", container.Id);
        Assert.StartsWith("180", post.Id);
    }

    [Fact]
    public async Task PublishAsync_NoUserIdSetting_UsesMeInEveryPath()
    {
        var (account, token, user) = NewAccount("me", userIdSetting: null);

        var outcome = await _adapter.PublishAsync(Request(Post("Posted as me"), account));

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(Assert.Single(Server.State.Threads.Posts, p => p.UserId == user.Id).Id, outcome.ExternalId);
        Assert.Contains(Sent(token), r => r.Path == "/threads/v1.0/me/threads" && r.Method == "POST");
        Assert.Contains(Sent(token), r => r.Path == "/threads/v1.0/me/threads_publish");
        Assert.Equal("POST /me/threads", _adapter.Render(Post("x"), account).Endpoint);
    }

    [Fact]
    public async Task PublishAsync_ThreePartThread_EachReplyContainerNamesThePreviousMediaIdAndEachPartIsConfirmedBeforeTheNext()
    {
        var (account, token, user) = NewAccount("thread");
        var content = ThreePartPost("Thread");
        var rendered = _adapter.Render(content, account);
        Assert.Equal(3, rendered.Parts.Count);
        var confirmed = new List<(string Id, int CreatesSoFar)>();
        var request = Request(content, account) with
        {
            OnPartConfirmed = (id, _) =>
            {
                confirmed.Add((id, Creates(token).Count));
                return Task.CompletedTask;
            },
        };

        var outcome = await _adapter.PublishAsync(request);

        var posts = Server.State.Threads.Posts.Where(p => p.UserId == user.Id).ToList();
        Assert.Equal(3, posts.Count);
        Assert.Equal(posts.Select(p => p.Id), confirmed.Select(c => c.Id));
        Assert.Equal([1, 2, 3], confirmed.Select(c => c.CreatesSoFar));
        var creates = Creates(token);
        Assert.Equal(rendered.Parts[0].Body + $"&access_token={token}", creates[0].Body);
        Assert.Equal(rendered.Parts[1].Body!.Replace("part-1-media-id", posts[0].Id, StringComparison.Ordinal) + $"&access_token={token}", creates[1].Body);
        Assert.Equal(rendered.Parts[2].Body!.Replace("part-2-media-id", posts[1].Id, StringComparison.Ordinal) + $"&access_token={token}", creates[2].Body);
        Assert.DoesNotContain("reply_to_id", creates[0].Body);
        Assert.EndsWith($"&reply_to_id={posts[0].Id}&access_token={token}", creates[1].Body);
        Assert.EndsWith($"&reply_to_id={posts[1].Id}&access_token={token}", creates[2].Body);
        Assert.Equal([null, posts[0].Id, posts[1].Id], posts.Select(p => p.ReplyToId));
        Assert.Equal(rendered.Parts.Select(p => p.Text), posts.Select(p => p.Text));

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(posts[0].Id, outcome.ExternalId);
        Assert.Equal(posts[0].Permalink, outcome.Url);
    }

    [Fact]
    public async Task PublishAsync_ContainerInProgress_ChecksStatusUntilFinishedThenPublishesOnce()
    {
        var (account, token, user) = NewAccount("progress");
        var outcome = await WithContainerPollsAsync(
            () => _adapter.PublishAsync(Request(Post("Ready after three checks"), account)),
            inProgress: 3);

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Single(Server.State.Threads.Posts, p => p.UserId == user.Id);
        Assert.Equal(4, Sent(token).Count(r => r.QueryString.StartsWith("?fields=status", StringComparison.Ordinal)));
        Assert.Single(Sent(token), r => r.Path.EndsWith("/threads_publish", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublishAsync_ContainerInProgress_WaitsOnTheInjectedClockWithDoublingDelaysUpToTheMax()
    {
        var clock = new SteppingTimeProvider(_fixture.Clock.GetUtcNow());
        using var services = Build(clock, o =>
        {
            o.StatusCheckDelay = TimeSpan.FromSeconds(1);
            o.StatusCheckMaxDelay = TimeSpan.FromSeconds(4);
        });
        var adapter = services.GetRequiredService<PlatformRegistry>().Resolve("threads");
        var (account, _, user) = NewAccount("backoff");
        var outcome = await WithContainerPollsAsync(
            () => adapter.PublishAsync(Request(Post("Ready after five checks"), account)),
            inProgress: 5);

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Single(Server.State.Threads.Posts, p => p.UserId == user.Id);
        Assert.Equal([1, 2, 4, 4, 4], clock.Waits.Select(w => w.TotalSeconds));
    }

    [Fact]
    public async Task PublishAsync_ContainerNeverFinishes_TransientOnceTheWaitsWouldPassTheLimitAndNothingPosted()
    {
        var clock = new SteppingTimeProvider(_fixture.Clock.GetUtcNow());
        using var services = Build(clock, o =>
        {
            o.StatusCheckDelay = TimeSpan.FromSeconds(1);
            o.StatusCheckMaxDelay = TimeSpan.FromMinutes(1);
            o.StatusWaitLimit = TimeSpan.FromSeconds(10);
        });
        var adapter = services.GetRequiredService<PlatformRegistry>().Resolve("threads");
        var (account, token, user) = NewAccount("never");
        var outcome = await WithContainerPollsAsync(() => adapter.PublishAsync(Request(Post("Never ready"), account)), inProgress: 1000);

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
        Assert.Contains("was not ready after 4 status check(s)", outcome.Error);
        Assert.Contains("nothing was posted", outcome.Error);
        Assert.Equal([1, 2, 4], clock.Waits.Select(w => w.TotalSeconds));
        Assert.DoesNotContain(Sent(token), r => r.Path.EndsWith("/threads_publish", StringComparison.Ordinal));
        Assert.DoesNotContain(Server.State.Threads.Posts, p => p.UserId == user.Id);
    }

    [Fact]
    public async Task PublishAsync_ZeroDelays_GivesUpAfterMaxStatusChecks()
    {
        using var services = Build(_fixture.Clock, o => o.MaxStatusChecks = 3);
        var adapter = services.GetRequiredService<PlatformRegistry>().Resolve("threads");
        var (account, token, _) = NewAccount("maxchecks");
        var outcome = await WithContainerPollsAsync(
            () => adapter.PublishAsync(Request(Post("Checked three times"), account)),
            inProgress: 1000);

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
        Assert.Equal(3, Sent(token).Count(r => r.QueryString.StartsWith("?fields=status", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PublishAsync_Error24Subcode4279009RightAfterCreate_ChecksAgainAndPublishesOnce()
    {
        var (account, token, user) = NewAccount("notfound");
        var outcome = await WithContainerPollsAsync(
            () => _adapter.PublishAsync(Request(Post("Not visible at first"), account)),
            notFound: 2);

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        var checks = Sent(token).Where(r => r.QueryString.StartsWith("?fields=status", StringComparison.Ordinal)).ToList();
        Assert.Equal([400, 400, 200], checks.Select(r => r.StatusCode));
        Assert.Single(Sent(token), r => r.Path.EndsWith("/threads_publish", StringComparison.Ordinal));
        Assert.Single(Server.State.Threads.Posts, p => p.UserId == user.Id);
    }

    [Fact]
    public async Task PublishAsync_PublishAnswered503_StatusStillFinishedSoTheSameContainerIsResentOnce()
    {
        var (account, token, user) = NewAccount("resend");
        var outcome = await WithFaultsAsync(
            new SandboxFaults { ServerErrorRate = 1, PathContains = "/threads_publish", MaxFaults = 1 },
            () => _adapter.PublishAsync(Request(Post("Published on the second call"), account)));

        var container = Assert.Single(Server.State.Threads.Containers, c => c.UserId == user.Id);
        var calls = Sent(token).Skip(2).Select(r => (r.Method, r.QueryString.StartsWith("?fields=status", StringComparison.Ordinal) ? "status" : r.Body, r.StatusCode)).ToList();
        Assert.Equal(
            [
                ("GET", "status", 200),
                ("POST", $"creation_id={container.Id}&access_token={token}", 503),
                ("GET", "status", 200),
                ("POST", $"creation_id={container.Id}&access_token={token}", 200),
            ],
            calls.Take(4));
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(Assert.Single(Server.State.Threads.Posts, p => p.UserId == user.Id).Id, outcome.ExternalId);
    }

    [Fact]
    public async Task PublishAsync_PublishAnswerLostAfterItWentOut_StatusPublishedFindsThePostAndNeverPublishesTwice()
    {
        var (account, token, user) = NewAccount("dropped");
        var content = Post("Went out, answer lost");
        var outcome = await WithFaultsAsync(
            new SandboxFaults { DropAfterAcceptRate = 1, PathContains = "/threads_publish" },
            () => _adapter.PublishAsync(Request(content, account)));

        var post = Assert.Single(Server.State.Threads.Posts, p => p.UserId == user.Id);
        var publish = Assert.Single(Sent(token), r => r.Path.EndsWith("/threads_publish", StringComparison.Ordinal));
        Assert.Equal(200, publish.StatusCode);
        var afterPublish = Sent(token).Where(r => r.Sequence > publish.Sequence).ToList();
        Assert.StartsWith("?fields=status", afterPublish[0].QueryString);
        Assert.Equal($"/threads/v1.0/{user.Id}/threads", afterPublish[1].Path);
        Assert.StartsWith("?fields=id,text,permalink,timestamp&limit=100&since=", afterPublish[1].QueryString);
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(post.Id, outcome.ExternalId);
        Assert.Equal(post.Permalink, outcome.Url);
    }

    [Fact]
    public async Task PublishAsync_PublishKeepsFailing_TransientAfterTheStatusShowsNothingWentOutAndTheNextTryPostsOnce()
    {
        var (account, token, user) = NewAccount("failing");
        var content = Post("Publish keeps failing");
        var outcome = await WithFaultsAsync(
            new SandboxFaults { ServerErrorRate = 1, PathContains = "/threads_publish" },
            () => _adapter.PublishAsync(Request(content, account)));

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
        Assert.Contains("still FINISHED, so nothing was posted", outcome.Error);
        Assert.Equal(2, Sent(token).Count(r => r.Path.EndsWith("/threads_publish", StringComparison.Ordinal)));
        Assert.DoesNotContain(Server.State.Threads.Posts, p => p.UserId == user.Id);

        var retried = await _adapter.PublishAsync(Request(content, account));

        Assert.Equal(PublishOutcomeKind.Published, retried.Kind);
        Assert.Single(Server.State.Threads.Posts, p => p.UserId == user.Id);
    }

    [Fact]
    public async Task PublishAsync_PublishTimesOut_StatusShowsItDidNotGoOutSoTransient()
    {
        using var services = Build(_fixture.Clock, o => o.Timeout = TimeSpan.FromSeconds(2));
        var adapter = services.GetRequiredService<PlatformRegistry>().Resolve("threads");
        var (account, token, user) = NewAccount("publishtimeout");
        // The sandbox waits on its fake clock, which nobody advances: only the adapter's timeout ends the call.
        var outcome = await WithFaultsAsync(
            new SandboxFaults { Delay = TimeSpan.FromMinutes(5), PathContains = "/threads_publish" },
            () => adapter.PublishAsync(Request(Post("Publish times out"), account)));

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
        Assert.Contains("did not answer in time", outcome.Error);
        Assert.Contains("still FINISHED", outcome.Error);
        Assert.True(Sent(token).Count(r => r.QueryString.StartsWith("?fields=status", StringComparison.Ordinal)) >= 3);
        Assert.DoesNotContain(Server.State.Threads.Posts, p => p.UserId == user.Id);
    }

    [Fact]
    public async Task PublishAsync_ContainerCreateTimesOut_TransientBecauseNothingCanHaveBeenPosted()
    {
        using var services = Build(_fixture.Clock, o => o.Timeout = TimeSpan.FromSeconds(2));
        var adapter = services.GetRequiredService<PlatformRegistry>().Resolve("threads");
        var (account, _, user) = NewAccount("createtimeout");
        var outcome = await WithFaultsAsync(
            new SandboxFaults { Delay = TimeSpan.FromMinutes(5) },
            () => adapter.PublishAsync(Request(Post("Create times out"), account)));

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
        Assert.Contains("did not answer in time", outcome.Error);
        Assert.Contains("nothing was posted", outcome.Error);
        Assert.DoesNotContain(Server.State.Threads.Posts, p => p.UserId == user.Id);
    }

    [Fact]
    public async Task PublishAsync_ContainerCreateDroppedAfterAccept_TransientBecauseAContainerIsNeverShown()
    {
        var (account, _, user) = NewAccount("createdrop");
        var outcome = await WithFaultsAsync(
            new SandboxFaults { DropAfterAcceptRate = 1 },
            () => _adapter.PublishAsync(Request(Post("Create dropped"), account)));

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
        Assert.Single(Server.State.Threads.Containers, c => c.UserId == user.Id);
        Assert.DoesNotContain(Server.State.Threads.Posts, p => p.UserId == user.Id);
    }

    [Fact]
    public async Task PublishAsync_ServerError_Transient()
    {
        var (account, _, user) = NewAccount("fault");
        var outcome = await WithFaultsAsync(
            new SandboxFaults { ServerErrorRate = 1 },
            () => _adapter.PublishAsync(Request(Post("Server error"), account)));

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
        Assert.Equal(503, outcome.HttpStatus);
        Assert.DoesNotContain(Server.State.Threads.Posts, p => p.UserId == user.Id);
    }

    [Fact]
    public async Task PublishAsync_Http429_RateLimitedWithRetryAfter()
    {
        var (account, _, _) = NewAccount("429");
        var outcome = await WithFaultsAsync(
            new SandboxFaults { RateLimitRate = 1, RetryAfterSeconds = 7 },
            () => _adapter.PublishAsync(Request(Post("Too many"), account)));

        Assert.Equal(PublishOutcomeKind.RateLimited, outcome.Kind);
        Assert.Equal(429, outcome.HttpStatus);
        Assert.Equal(TimeSpan.FromSeconds(7), outcome.RetryAfter);
    }

    [Fact]
    public async Task PublishAsync_ConnectionRefused_Transient()
    {
        var account = ThreadsAccount("any", "me", new Uri($"http://127.0.0.1:{ClosedPort()}/threads/v1.0"));

        var outcome = await _adapter.PublishAsync(Request(Post("Refused"), account));

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
        Assert.Contains("Could not reach Threads", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_WrongToken_PermanentWithAdviceAndWithoutTheToken()
    {
        var account = ThreadsAccount("not-a-threads-token", "me");

        var outcome = await _adapter.PublishAsync(Request(Post("Wrong token"), account));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(400, outcome.HttpStatus);
        Assert.Contains("error 190", outcome.Error);
        Assert.Contains("THREADS_ACCESS_TOKEN", outcome.Error);
        Assert.DoesNotContain("not-a-threads-token", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_ExpiredToken_PermanentSayingItExpired()
    {
        var (account, _, _) = NewAccount("expired", expiresAt: _fixture.Clock.GetUtcNow().AddDays(-1));

        var outcome = await _adapter.PublishAsync(Request(Post("Expired token"), account));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("subcode 463", outcome.Error);
        Assert.Contains("it has expired", outcome.Error);
        Assert.Contains("60 days", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_TokenWithoutPublishPermission_PermanentNamingIt()
    {
        var (account, _, _) = NewAccount("noperm", permissions: new HashSet<string> { ThreadsPermissions.Basic });

        var outcome = await _adapter.PublishAsync(Request(Post("No permission"), account));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(403, outcome.HttpStatus);
        Assert.Contains("error 10", outcome.Error);
        Assert.Contains("threads_content_publish", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_ThreadWithoutReplyPermission_FirstPartPostedThenPermanentForPartTwo()
    {
        var (account, _, user) = NewAccount(
            "noreplies", permissions: new HashSet<string> { ThreadsPermissions.Basic, ThreadsPermissions.ContentPublish });
        var confirmed = new List<string>();
        var request = Request(ThreePartPost("No replies"), account) with
        {
            OnPartConfirmed = (id, _) =>
            {
                confirmed.Add(id);
                return Task.CompletedTask;
            },
        };

        var outcome = await _adapter.PublishAsync(request);

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.StartsWith("Part 2 of 3: ", outcome.Error);
        Assert.Contains("threads_manage_replies", outcome.Error);
        Assert.Equal([Assert.Single(Server.State.Threads.Posts, p => p.UserId == user.Id).Id], confirmed);
    }

    [Fact]
    public async Task PublishAsync_ConfirmedPartThatDoesNotExist_PermanentInvalidParameter()
    {
        var (account, _, user) = NewAccount("badreply");
        var request = Request(ThreePartPost("Bad reply"), account) with { ConfirmedParts = ["18099999999999999"] };

        var outcome = await _adapter.PublishAsync(request);

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("error 100, subcode 33", outcome.Error);
        Assert.Contains("reply_to_id", outcome.Error);
        Assert.DoesNotContain(Server.State.Threads.Posts, p => p.UserId == user.Id);
    }

    [Fact]
    public async Task PublishAsync_ResumedAfterAStopAfterPartTwo_SendsOnlyPartThreeReplyingToPartTwo()
    {
        var (account, token, user) = NewAccount("resume");
        var content = ThreePartPost("Resume");
        var confirmed = await PublishUntilStoppedAsync(content, account, stopAfter: 2);
        var createsBefore = Creates(token).Count;

        var outcome = await _adapter.PublishAsync(Request(content, account) with { ConfirmedParts = confirmed });

        var creates = Creates(token).Skip(createsBefore).ToList();
        var create = Assert.Single(creates);
        var rendered = _adapter.Render(content, account);
        Assert.Equal(rendered.Parts[2].Body!.Replace("part-2-media-id", confirmed[1], StringComparison.Ordinal) + $"&access_token={token}", create.Body);
        var posts = Server.State.Threads.Posts.Where(p => p.UserId == user.Id).ToList();
        Assert.Equal(3, posts.Count);
        Assert.Equal(confirmed[1], posts[2].ReplyToId);
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(confirmed[0], outcome.ExternalId);
        Assert.Equal(posts[0].Permalink, outcome.Url);
    }

    [Fact]
    public async Task PublishAsync_EveryPartConfirmed_PublishedWithoutCreatingOrPublishing()
    {
        var (account, token, _) = NewAccount("allconfirmed");
        var content = ThreePartPost("All confirmed");
        var ids = new List<string>();
        await _adapter.PublishAsync(Request(content, account) with
        {
            OnPartConfirmed = (id, _) =>
            {
                ids.Add(id);
                return Task.CompletedTask;
            },
        });
        var before = Sent(token).Count;

        var outcome = await _adapter.PublishAsync(Request(content, account) with { ConfirmedParts = ids });

        var after = Sent(token).Skip(before).ToList();
        var read = Assert.Single(after);
        Assert.Equal("GET", read.Method);
        Assert.Equal($"/threads/v1.0/{ids[0]}", read.Path);
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(ids[0], outcome.ExternalId);
        Assert.NotNull(outcome.Url);
    }

    [Fact]
    public async Task PublishAsync_250PostsInTheRollingDay_RateLimitedUntilTheOldestTurns24HoursOld()
    {
        var (account, token, user) = NewAccount("quota");
        var first = _fixture.Clock.GetUtcNow();
        Assert.Equal(PublishOutcomeKind.Published, (await _adapter.PublishAsync(Request(Post("Quota post 0"), account))).Kind);
        _fixture.Clock.Advance(TimeSpan.FromHours(1));
        for (var i = 1; i < 250; i++)
        {
            Assert.Equal(PublishOutcomeKind.Published, (await _adapter.PublishAsync(Request(Post($"Quota post {i}"), account))).Kind);
        }

        var createsBefore = Creates(token).Count;
        var outcome = await _adapter.PublishAsync(Request(Post("One post too many"), account));

        Assert.Equal(PublishOutcomeKind.RateLimited, outcome.Kind);
        Assert.Null(outcome.HttpStatus);
        Assert.Equal(first + TimeSpan.FromHours(24) - _fixture.Clock.GetUtcNow(), outcome.RetryAfter);
        Assert.Equal(TimeSpan.FromHours(23), outcome.RetryAfter);
        Assert.Contains("250 of 250 posts", outcome.Error);
        Assert.Contains($"frees up at {(first + TimeSpan.FromHours(24)).UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC", outcome.Error);
        Assert.Equal(createsBefore, Creates(token).Count);

        _fixture.Clock.Advance(outcome.RetryAfter!.Value);
        var later = await _adapter.PublishAsync(Request(Post("One post too many"), account));

        Assert.Equal(PublishOutcomeKind.Published, later.Kind);
        Assert.Equal(251, Server.State.Threads.Posts.Count(p => p.UserId == user.Id));
    }

    [Fact]
    public async Task FindExistingAsync_PostPublishedEarlier_FoundWithItsPermalink()
    {
        var (account, _, user) = NewAccount("found");
        var content = Post("Look for me");
        await _adapter.PublishAsync(Request(Post("Some other post"), account));
        await _adapter.PublishAsync(Request(content, account));

        var lookup = await _adapter.FindExistingAsync(Request(content, account));

        var post = Assert.Single(Server.State.Threads.Posts, p => p.UserId == user.Id && p.Text == "Look for me");
        Assert.Equal(ExistingPostState.Found, lookup.State);
        Assert.Equal(post.Id, lookup.ExternalId);
        Assert.Equal(post.Permalink, lookup.Url);
    }

    [Fact]
    public async Task FindExistingAsync_NeverPublished_NotFound()
    {
        var (account, token, _) = NewAccount("notfound");
        await _adapter.PublishAsync(Request(Post("Something else entirely"), account));

        var lookup = await _adapter.FindExistingAsync(Request(Post("Never sent"), account));

        Assert.Equal(ExistingPostState.NotFound, lookup.State);
        var listing = Sent(token)[^1];
        Assert.Equal("GET", listing.Method);
        Assert.EndsWith("/threads", listing.Path);
    }

    [Fact]
    public async Task FindExistingAsync_SameTextPostedBeforeTheContentWasCreated_NotFound()
    {
        var (account, _, _) = NewAccount("older");
        await _adapter.PublishAsync(Request(Post("Said before"), account));
        _fixture.Clock.Advance(TimeSpan.FromHours(2));
        var content = new Content { Type = ContentType.Post, Body = "Said before", CreatedAt = _fixture.Clock.GetUtcNow() };

        var lookup = await _adapter.FindExistingAsync(Request(content, account));

        Assert.Equal(ExistingPostState.NotFound, lookup.State);
        Assert.Contains("since", lookup.Reason);
    }

    [Fact]
    public async Task FindExistingAsync_ThirdPartWentOut_FoundAfterTheSecond()
    {
        var (account, _, user) = NewAccount("findthird");
        var content = ThreePartPost("Find third");
        await _adapter.PublishAsync(Request(content, account));
        var posts = Server.State.Threads.Posts.Where(p => p.UserId == user.Id).ToList();

        var lookup = await _adapter.FindExistingAsync(Request(content, account) with { ConfirmedParts = [posts[0].Id, posts[1].Id] });

        Assert.Equal(ExistingPostState.Found, lookup.State);
        Assert.Equal(posts[2].Id, lookup.ExternalId);
    }

    [Fact]
    public async Task FindExistingAsync_ThirdPartNeverSent_NotFoundFromTheRepliesOfTheSecond()
    {
        var (account, _, _) = NewAccount("missingthird");
        var content = ThreePartPost("Missing third");
        var confirmed = await PublishUntilStoppedAsync(content, account, stopAfter: 2);

        var lookup = await _adapter.FindExistingAsync(Request(content, account) with { ConfirmedParts = confirmed });

        Assert.Equal(ExistingPostState.NotFound, lookup.State);
        Assert.Contains("part 3 of 3", lookup.Reason);
        Assert.Contains("No reply of the account to part 2", lookup.Reason);
    }

    [Fact]
    public async Task FindExistingAsync_SecondPartNeverSent_NotFoundFromTheRepliesOfTheFirstSoTheThreadResumes()
    {
        var (account, _, user) = NewAccount("missingsecond");
        var content = ThreePartPost("Missing second");
        var confirmed = await PublishUntilStoppedAsync(content, account, stopAfter: 1);

        var lookup = await _adapter.FindExistingAsync(Request(content, account) with { ConfirmedParts = confirmed });

        Assert.Equal(ExistingPostState.NotFound, lookup.State);
        Assert.Contains("part 2 of 3", lookup.Reason);
        Assert.Contains(Server.Requests.For("threads"), r => r.Method == "GET" && r.Path == $"/threads/v1.0/{confirmed[0]}/replies");

        var resumed = await _adapter.PublishAsync(Request(content, account) with { ConfirmedParts = confirmed });

        Assert.Equal(PublishOutcomeKind.Published, resumed.Kind);
        var posts = Server.State.Threads.Posts.Where(p => p.UserId == user.Id).ToList();
        Assert.Equal(_adapter.Render(content, account).Parts.Select(p => p.Text), posts.Select(p => p.Text));
        Assert.Equal([null, posts[0].Id, posts[1].Id], posts.Select(p => p.ReplyToId));
    }

    [Fact]
    public async Task FindExistingAsync_SecondPartWentOut_FoundAmongTheRepliesOfTheFirst()
    {
        var (account, _, user) = NewAccount("foundsecond");
        var content = ThreePartPost("Found second");
        var confirmed = await PublishUntilStoppedAsync(content, account, stopAfter: 2);

        var lookup = await _adapter.FindExistingAsync(Request(content, account) with { ConfirmedParts = [confirmed[0]] });

        Assert.Equal(ExistingPostState.Found, lookup.State);
        Assert.Equal(confirmed[1], lookup.ExternalId);
        Assert.Equal(2, Server.State.Threads.Posts.Count(p => p.UserId == user.Id));
    }

    [Fact]
    public async Task FindExistingAsync_EveryPartConfirmed_NotFoundSoTheResendPublishesNothing()
    {
        var (account, _, _) = NewAccount("findall");

        var lookup = await _adapter.FindExistingAsync(Request(Post("Just one"), account) with { ConfirmedParts = ["18000000000000001"] });

        Assert.Equal(ExistingPostState.NotFound, lookup.State);
    }

    [Fact]
    public async Task FindExistingAsync_ListingFails_IsUnavailableSoItIsAskedAgainLater()
    {
        var account = ThreadsAccount("not-a-threads-token", "me");

        var lookup = await _adapter.FindExistingAsync(Request(Post("Cannot look"), account));

        Assert.Equal(ExistingPostState.Unavailable, lookup.State);
        Assert.Contains("error 190", lookup.Reason);
    }

    [Fact]
    public void Render_ThreadPart_CountsEmojiBytesAndLinksWithEachPartsRequestBody()
    {
        var account = ThreadsAccount("token", "123");
        var content = Post("Hi 👍 https://example.com/a and example.org");

        var payload = _adapter.Render(content, account);

        Assert.Equal("application/x-www-form-urlencoded", payload.MediaType);
        Assert.Equal("POST /123/threads", payload.Endpoint);
        var part = Assert.Single(payload.Parts);
        Assert.Equal(content.Body, part.Text);
        Assert.Equal(content.Body.Length - 2 + 4, part.Count);
        Assert.Equal(500, part.Limit);
        Assert.Equal("characters", part.Unit);
        Assert.Equal((2, 5, "links"), part.Secondary);
        Assert.Equal(payload.Body, part.Body);
        Assert.DoesNotContain("access_token", payload.Body);

        var thread = _adapter.Render(ThreePartPost("Render"), account);
        Assert.Equal(3, thread.Parts.Count);
        Assert.All(thread.Parts, p => Assert.True(p.Count <= 500));
        Assert.EndsWith("&reply_to_id=part-1-media-id", thread.Parts[1].Body);
        Assert.EndsWith("&reply_to_id=part-2-media-id", thread.Parts[2].Body);
    }

    [Fact]
    public void Validate_NoTokenAndBadUserId_NamesBothFields()
    {
        var account = new Account
        {
            Platform = "threads",
            DisplayName = "incomplete",
            Settings = new Dictionary<string, string> { ["user_id"] = "@someone" },
        };

        var problems = _adapter.Validate(Post("Fine text"), account);

        Assert.Equal(["access_token", "user_id"], problems.Select(p => p.Field));
        Assert.All(problems, p => Assert.Equal("threads", p.Platform));
        Assert.Contains("THREADS_ACCESS_TOKEN", problems[0].Message);
    }

    [Fact]
    public void Validate_EmptyOrUnsplittableText_BodyProblem()
    {
        var account = ThreadsAccount("token", "me");
        var longLink = "https://example.com/" + new string('a', 600);

        Assert.Equal("body", Assert.Single(_adapter.Validate(Post("   "), account)).Field);
        var problem = Assert.Single(_adapter.Validate(Post($"Read {longLink}"), account));
        Assert.Equal("body", problem.Field);
        Assert.Contains("cannot be cut into Threads posts", problem.Message);
        Assert.Empty(_adapter.Validate(ThreePartPost("Valid"), account));
    }

    [Fact]
    public async Task PublishAsync_NoToken_PermanentWithoutACall()
    {
        var account = new Account { Platform = "threads", DisplayName = "no token", BaseUrl = Server.PlatformBaseUrl("threads") };
        var before = Server.Requests.For("threads").Count;

        var outcome = await _adapter.PublishAsync(Request(Post("No token"), account));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("THREADS_ACCESS_TOKEN", outcome.Error);
        Assert.Equal(before, Server.Requests.For("threads").Count);
    }

    [Fact]
    public async Task PublishAsync_HttpClientLoggingAtTrace_NeverLogsTheTokenFromQueryOrForm()
    {
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_fixture.Clock);
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddHerald().AddThreads(o => o.StatusCheckDelay = o.StatusCheckMaxDelay = TimeSpan.Zero);
        using var provider = services.BuildServiceProvider();
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("threads");
        var (account, token, _) = NewAccount("logs");

        var outcome = await adapter.PublishAsync(Request(Post("Logged quietly"), account));

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Contains(logs.Messages, m => m.Contains("/threads_publish", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public void Platform_IdAliasesAndCapabilities_AsPlatformsMdSays()
    {
        var registry = _services.GetRequiredService<PlatformRegistry>();
        var platform = _adapter.Platform;

        Assert.Equal("threads", platform.Id);
        Assert.Same(_adapter, registry.Resolve("threads.net"));
        Assert.Same(_adapter, registry.Resolve("Meta-Threads"));
        Assert.False(registry.TryResolve("thread", out _));
        Assert.Equal(new Uri("https://graph.threads.net/v1.0"), platform.DefaultBaseUrl);
        Assert.True(platform.Capabilities.SupportsThreads);
        Assert.Equal(new RateLimitDefault(250, TimeSpan.FromHours(24)), platform.Capabilities.DefaultRateLimit);
    }

    [Fact]
    public void AddThreads_CalledTwice_RegistersOneAdapter()
    {
        var services = new ServiceCollection();
        services.AddHerald().AddThreads().AddThreads(o => o.Timeout = TimeSpan.FromSeconds(5));
        using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetServices<IPlatformAdapter>());
    }

    [Fact]
    public void AddThreads_InvalidOptions_ReportsEveryProblemWhenResolved()
    {
        var services = new ServiceCollection();
        services.AddHerald().AddThreads(o =>
        {
            o.DefaultBaseUrl = new Uri("ftp://graph.threads.net");
            o.Timeout = TimeSpan.Zero;
            o.StatusCheckDelay = TimeSpan.FromSeconds(-1);
            o.StatusCheckMaxDelay = TimeSpan.FromSeconds(-2);
            o.StatusWaitLimit = TimeSpan.FromSeconds(-1);
            o.MaxStatusChecks = 0;
            o.PublishAttempts = 0;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => provider.GetRequiredService<PlatformRegistry>());

        Assert.Equal(7, error.Failures.Count());
        foreach (var key in new[] { "DefaultBaseUrl", "Timeout", "StatusCheckDelay", "StatusCheckMaxDelay", "StatusWaitLimit", "MaxStatusChecks", "PublishAttempts" })
        {
            Assert.Contains(error.Failures, f => f.Contains($"Herald:Threads:{key} ", StringComparison.Ordinal));
        }
    }

    /// <summary>Runs <paramref name="act"/> with <paramref name="faults"/> in force, then clears them.</summary>
    private Task<PublishOutcome> WithFaultsAsync(SandboxFaults faults, Func<Task<PublishOutcome>> act) =>
        Server.WithFaultsAsync(faults, act);

    /// <summary>Runs <paramref name="act"/> while new containers answer "not found" and then IN_PROGRESS for that many checks.</summary>
    private async Task<PublishOutcome> WithContainerPollsAsync(Func<Task<PublishOutcome>> act, int inProgress = 0, int notFound = 0)
    {
        Server.State.Options.Threads.InProgressPolls = inProgress;
        Server.State.Options.Threads.NotFoundPolls = notFound;
        try
        {
            return await act();
        }
        finally
        {
            Server.State.Options.Threads.InProgressPolls = 0;
            Server.State.Options.Threads.NotFoundPolls = 0;
        }
    }

    /// <summary>Publishes <paramref name="content"/> and stops (as a killed process would) once <paramref name="stopAfter"/> parts are confirmed.</summary>
    private async Task<List<string>> PublishUntilStoppedAsync(Content content, Account account, int stopAfter)
    {
        using var stop = new CancellationTokenSource();
        var confirmed = new List<string>();
        var request = Request(content, account) with
        {
            OnPartConfirmed = (id, _) =>
            {
                confirmed.Add(id);
                if (confirmed.Count == stopAfter)
                {
                    stop.Cancel();
                }

                return Task.CompletedTask;
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _adapter.PublishAsync(request, stop.Token));
        Assert.Equal(stopAfter, confirmed.Count);
        return confirmed;
    }

    private static ServiceProvider Build(TimeProvider clock, Action<ThreadsOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddHerald().AddThreads(o =>
        {
            o.StatusCheckDelay = TimeSpan.Zero;
            o.StatusCheckMaxDelay = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    private (Account Account, string Token, ThreadsUser User) NewAccount(
        string name, IReadOnlySet<string>? permissions = null, DateTimeOffset? expiresAt = null, string? userIdSetting = "id")
    {
        var token = $"token-{name}-{Guid.NewGuid():N}";
        var user = Server.State.Threads.AddUser(token, $"user_{name}", permissions, expiresAt);
        return (ThreadsAccount(token, userIdSetting == "id" ? user.Id : userIdSetting), token, user);
    }

    private Account ThreadsAccount(string token, string? userId, Uri? baseUrl = null) => new()
    {
        Platform = "threads",
        DisplayName = "Threads test",
        Credentials = new AccountCredentials { ["access_token"] = token },
        BaseUrl = baseUrl ?? Server.PlatformBaseUrl("threads"),
        Settings = userId is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["user_id"] = userId },
    };

    /// <summary>Every request made with <paramref name="token"/>, in arrival order.</summary>
    private List<RecordedRequest> Sent(string token) =>
        Server.Requests.For("threads")
            .Where(r => r.QueryString.Contains($"access_token={token}", StringComparison.Ordinal) ||
                        r.Body.Contains($"access_token={token}", StringComparison.Ordinal))
            .OrderBy(r => r.Sequence)
            .ToList();

    private List<RecordedRequest> Creates(string token) =>
        Sent(token).Where(r => r.Method == "POST" && r.Path.EndsWith("/threads", StringComparison.Ordinal)).ToList();

    private static Content Post(string text) => new() { Type = ContentType.Post, Body = text };

    /// <summary>Three paragraphs of about 390 characters: no two fit one 500-character post.</summary>
    private static Content ThreePartPost(string name) =>
        Post(string.Join("\n\n", Enumerable.Range(1, 3).Select(i => $"{name} paragraph {i}: " + string.Join(' ', Enumerable.Repeat($"word{i}", 60)) + ".")));

    private static PublishRequest Request(Content content, Account account) => new(content, account, "herald-test");

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider, ILogger
    {
        private readonly List<string> _messages = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (_messages)
                {
                    return [.. _messages];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            Log(LogLevel.Trace, default, state, null, (s, _) => s.ToString() ?? "");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_messages)
            {
                _messages.Add(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
