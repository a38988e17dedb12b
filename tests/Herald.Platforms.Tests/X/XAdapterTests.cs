using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Formatting.Text;
using Herald.Platforms.X;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Sandbox.X;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Platforms.Tests.X;

/// <summary>
/// The X adapter, built by DI, against the sandbox over real HTTP. Each test posts as its own sandbox user
/// (own token), so duplicate checks and rate windows do not mix.
/// </summary>
public sealed class XAdapterTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly ServiceProvider _services;
    private readonly IPlatformAdapter _adapter;

    public XAdapterTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _services = Build(fixture.Clock);
        _adapter = _services.GetRequiredService<PlatformRegistry>().Resolve("twitter");
    }

    private SandboxServer Server => _fixture.Server;

    private XState X => Server.State.X;

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task PublishAsync_Post_SendsExactRequestAndBuildsTheUrlFromUsersMe()
    {
        var (account, user, token) = NewAccount("exact");
        var content = Post("Hello from Herald 👋 https://blog.example.com/hello #dotnet");

        var outcome = await _adapter.PublishAsync(Request(content, account));

        var sent = Requests(token);
        Assert.Equal(["GET /x/2/users/me", "POST /x/2/tweets"], sent.Select(r => $"{r.Method} {r.Path}"));
        var create = sent[1];
        Assert.StartsWith("application/json", create.Header("Content-Type"));
        Assert.Equal(_adapter.Render(content, account).Body, create.Body);
        using (var body = JsonDocument.Parse(create.Body))
        {
            Assert.Equal("Hello from Herald 👋 https://blog.example.com/hello #dotnet", body.RootElement.GetProperty("text").GetString());
            Assert.Single(body.RootElement.EnumerateObject());
        }

        var post = Assert.Single(X.Posts, p => p.AuthorId == user.Id);
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(201, outcome.HttpStatus);
        Assert.Equal(post.Id, outcome.ExternalId);
        Assert.Equal(new Uri($"https://x.com/{user.Username}/status/{post.Id}"), outcome.Url);
    }

    [Fact]
    public async Task PublishAsync_UsernameSettingAndCachedUser_AskUsersMeAtMostOncePerAccount()
    {
        var (account, _, token) = NewAccount("cache");
        var (named, _, namedToken) = NewAccount("named", username: "@someone_else");

        await _adapter.PublishAsync(Request(Post("First of two"), account));
        var second = await _adapter.PublishAsync(Request(Post("Second of two"), account));
        var third = await _adapter.PublishAsync(Request(Post("Named account"), named));

        Assert.Single(Requests(token), r => r.Path == "/x/2/users/me");
        Assert.DoesNotContain(Requests(namedToken), r => r.Path == "/x/2/users/me");
        Assert.Equal(PublishOutcomeKind.Published, second.Kind);
        Assert.StartsWith("https://x.com/someone_else/status/", third.Url!.AbsoluteUri);
    }

    [Fact]
    public async Task PublishAsync_ThreeParts_EachPartRepliesToThePreviousAndIsConfirmedBeforeTheNext()
    {
        var (account, user, token) = NewAccount("thread");
        var content = Post(ThreeParagraphs("thread"));
        var rendered = _adapter.Render(content, account);
        var confirmed = new List<(string Id, int PostsAtSandbox)>();
        var request = Request(content, account) with
        {
            OnPartConfirmed = (id, _) =>
            {
                confirmed.Add((id, X.Posts.Count(p => p.AuthorId == user.Id)));
                return Task.CompletedTask;
            },
        };

        var outcome = await _adapter.PublishAsync(request);

        Assert.Equal(3, rendered.Parts.Count);
        var creates = Requests(token).Where(r => r.Method == "POST").ToList();
        Assert.Equal(3, creates.Count);
        var posts = X.Posts.Where(p => p.AuthorId == user.Id).ToList();
        Assert.Equal(rendered.Parts.Select(p => p.Text), posts.Select(p => p.Text));
        Assert.Equal(rendered.Parts[0].Body, creates[0].Body);
        for (var i = 1; i < 3; i++)
        {
            Assert.Equal(rendered.Parts[i].Body!.Replace($"<id of part {i}>", posts[i - 1].Id, StringComparison.Ordinal), creates[i].Body);
            Assert.Equal(posts[i - 1].Id, posts[i].InReplyToId);
            Assert.Equal(posts[0].Id, posts[i].ConversationId);
        }

        Assert.Equal(posts.Select((p, i) => (p.Id, i + 1)), confirmed);
        Assert.All(rendered.Parts, p => Assert.Equal((XTextCounter.Instance.Count(p.Text).Count, 280, "weighted characters"), (p.Count, p.Limit, p.Unit)));
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(posts[0].Id, outcome.ExternalId);
        Assert.Equal(new Uri($"https://x.com/{user.Username}/status/{posts[0].Id}"), outcome.Url);
    }

    /// <summary>Issue 4 acceptance: a 2,000-character article sent to X as a thread.</summary>
    [Fact]
    public async Task PublishAsync_TwoThousandCharacterArticleAsThread_EveryPartFitsNoWordOrLinkIsSplitAndPartsReplyInOrder()
    {
        var (account, user, _) = NewAccount("article");
        var content = ThreadArticle();
        Assert.InRange(content.Body.Length, 1950, 2050);

        var outcome = await _adapter.PublishAsync(Request(content, account));

        var parts = _adapter.Render(content, account).Parts;
        var posts = X.Posts.Where(p => p.AuthorId == user.Id).ToList();
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.True(parts.Count >= 8, $"{parts.Count} parts");
        Assert.Equal(parts.Select(p => p.Text), posts.Select(p => p.Text));

        // Every part within 280 by Herald's count and by the sandbox's own check of the same rule.
        Assert.All(parts, p => Assert.InRange(XTextCounter.Instance.Count(p.Text).Count, 1, 280));
        Assert.All(posts, p => Assert.InRange(p.WeightedLength, 1, 280));

        // Numbered 1/n … n/n; without the numbers, the words are exactly the article's words, none cut.
        var words = parts.Select((p, i) =>
        {
            var suffix = $" {i + 1}/{parts.Count}";
            Assert.EndsWith(suffix, p.Text);
            return p.Text[..^suffix.Length];
        }).SelectMany(Words).ToList();
        var expected = Words($"{content.Title}\n\n{content.Body}\n\n{content.CanonicalUrl!.AbsoluteUri}\n\n#dotnet #herald").ToList();
        Assert.Equal(expected, words);
        foreach (var link in expected.Where(w => w.StartsWith("https://", StringComparison.Ordinal)))
        {
            Assert.Contains(parts, p => p.Text.Contains(link, StringComparison.Ordinal));
        }

        // The reply chain as the sandbox holds it.
        Assert.Null(posts[0].InReplyToId);
        for (var i = 1; i < posts.Count; i++)
        {
            Assert.Equal(posts[i - 1].Id, posts[i].InReplyToId);
            Assert.Equal(posts[0].Id, posts[i].ConversationId);
        }

        Assert.Equal(posts[0].Id, outcome.ExternalId);
    }

    [Fact]
    public async Task PublishAsync_ResumedAfterTheFirstPart_SendsOnlyTheRestReplyingToTheConfirmedPart()
    {
        var (account, user, token) = NewAccount("resume");
        var content = Post(ThreeParagraphs("resume"));
        using var stop = new CancellationTokenSource();
        var confirmed = new List<string>();
        var first = Request(content, account) with
        {
            OnPartConfirmed = (id, _) =>
            {
                confirmed.Add(id);
                stop.Cancel(); // the process dies right after storing part 1
                return Task.CompletedTask;
            },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _adapter.PublishAsync(first, stop.Token));
        var before = Requests(token).Count(r => r.Method == "POST");

        var outcome = await _adapter.PublishAsync(Request(content, account) with { ConfirmedParts = confirmed });

        var resent = Requests(token).Where(r => r.Method == "POST").Skip(before).ToList();
        var rendered = _adapter.Render(content, account).Parts;
        Assert.Equal(2, resent.Count);
        using (var body = JsonDocument.Parse(resent[0].Body))
        {
            Assert.Equal(rendered[1].Text, body.RootElement.GetProperty("text").GetString());
            Assert.Equal(confirmed[0], body.RootElement.GetProperty("reply").GetProperty("in_reply_to_tweet_id").GetString());
        }

        var posts = X.Posts.Where(p => p.AuthorId == user.Id).ToList();
        Assert.Equal(rendered.Select(p => p.Text), posts.Select(p => p.Text));
        Assert.Equal(confirmed[0], outcome.ExternalId);
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
    }

    [Fact]
    public async Task PublishAsync_EveryPartConfirmed_PublishedWithoutPosting()
    {
        var (account, _, token) = NewAccount("done", username: "done_user");
        var content = Post(ThreeParagraphs("done"));

        var outcome = await _adapter.PublishAsync(Request(content, account) with { ConfirmedParts = ["101", "102", "103"] });

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal("101", outcome.ExternalId);
        Assert.Equal(new Uri("https://x.com/done_user/status/101"), outcome.Url);
        Assert.Empty(Requests(token));
    }

    [Fact]
    public async Task PublishAsync_OAuth1_SignsEveryCallAndTheSandboxVerifiesIt()
    {
        var signer = XOAuth1User.Add(X, Name("oauth1"));
        var (consumerSecret, token, tokenSecret) = (signer.ConsumerSecret, signer.Token, signer.TokenSecret);
        var account = XAccount(signer.Credentials);
        var content = Post("Signed with OAuth 1.0a");

        var outcome = await _adapter.PublishAsync(Request(content, account));
        var lookup = await _adapter.FindExistingAsync(Request(content, account));

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        var signed = Server.Requests.For("x").Where(r => r.Header("Authorization")?.Contains($"oauth_token=\"{token}\"", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(3, signed.Count); // users/me, create, timeline (its query is signed too)
        Assert.All(signed, r => Assert.Equal(200, r.StatusCode / 100 * 100));
        var header = signed[1].Header("Authorization")!;
        Assert.StartsWith("OAuth oauth_consumer_key=", header);
        Assert.Contains("oauth_signature_method=\"HMAC-SHA1\"", header);
        Assert.Contains("oauth_version=\"1.0\"", header);
        Assert.DoesNotContain(tokenSecret, header);
        Assert.DoesNotContain(consumerSecret, header);
        Assert.Equal(ExistingPostState.Found, lookup.State);
        Assert.Equal(outcome.ExternalId, lookup.ExternalId);
    }

    [Fact]
    public async Task PublishAsync_OAuth1WrongSecret_PermanentWithoutTheSecret()
    {
        var account = XAccount(new AccountCredentials
        {
            ["consumer_key"] = SandboxAccounts.XConsumerKey,
            ["consumer_secret"] = "not-the-secret-0123",
            ["access_token"] = SandboxAccounts.XOAuth1Token,
            ["access_token_secret"] = SandboxAccounts.XOAuth1TokenSecret,
        });

        var outcome = await _adapter.PublishAsync(Request(Post("Badly signed"), account));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(401, outcome.HttpStatus);
        Assert.Contains("consumer key and secret", outcome.Error);
        Assert.DoesNotContain("not-the-secret-0123", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_ExpiredOAuth2Token_RenewsItKeepsTheNewPairAndPostsOnce()
    {
        var user = X.AddUser(Name("refresh"));
        var clientId = $"client-{Guid.NewGuid():N}";
        X.AddClient(clientId, "client-secret-1");
        var issued = X.IssueTokens(user, clientId);
        var account = XAccount(new AccountCredentials
        {
            ["access_token"] = issued.AccessToken,
            ["refresh_token"] = issued.RefreshToken,
            ["client_id"] = clientId,
            ["client_secret"] = "client-secret-1",
        });
        _fixture.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));

        var outcome = await _adapter.PublishAsync(Request(Post("After the token expired"), account));

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Single(X.Posts, p => p.AuthorId == user.Id);
        Assert.NotEqual(issued.AccessToken, account.Credentials["access_token"]);
        Assert.NotEqual(issued.RefreshToken, account.Credentials["refresh_token"]);
        // X's answer said how long the new token lasts (expires_in): the sandbox's two hours, from now.
        Assert.Equal(_fixture.Clock.GetUtcNow() + Server.State.Options.X.AccessTokenLifetime, account.Credentials.AccessTokenExpiresAt);
        var token = Assert.Single(Server.Requests.For("x"), r => r.Path == "/x/2/oauth2/token" && r.Body.Contains(Uri.EscapeDataString(clientId), StringComparison.Ordinal));
        Assert.Contains("grant_type=refresh_token", token.Body);
        Assert.Contains($"refresh_token={Uri.EscapeDataString(issued.RefreshToken)}", token.Body);
        Assert.StartsWith("Basic ", token.Header("Authorization"));
        Assert.Equal(
            ["GET /x/2/users/me 401", "GET /x/2/users/me 200", "POST /x/2/tweets 201"],
            Server.Requests.For("x").Where(r => r.Header("Authorization") is { } a && (a == $"Bearer {issued.AccessToken}" || a == $"Bearer {account.Credentials["access_token"]}"))
                .Select(r => $"{r.Method} {r.Path} {r.StatusCode}"));

        // The old refresh token is spent; the stored pair is the one that works now.
        var (renewed, error) = X.Refresh(issued.RefreshToken, clientId, "client-secret-1");
        Assert.Null(renewed);
        Assert.Equal("invalid_request", error);
    }

    [Fact]
    public async Task PublishAsync_ExpiredTokenWithoutRefreshToken_PermanentAskingForOne()
    {
        var user = X.AddUser(Name("expired"));
        X.AddAccessToken(user, $"expired-{user.Id}", _fixture.Clock.GetUtcNow().AddMinutes(-1));
        var account = XAccount(new AccountCredentials { ["access_token"] = $"expired-{user.Id}" });

        var outcome = await _adapter.PublishAsync(Request(Post("Nothing to renew with"), account));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(401, outcome.HttpStatus);
        Assert.Contains("refresh_token and client_id", outcome.Error);
        Assert.DoesNotContain($"expired-{user.Id}", outcome.Error ?? "");
    }

    [Fact]
    public async Task PublishAsync_SpentRefreshToken_PermanentSayingRenewalFailed()
    {
        var user = X.AddUser(Name("spent"));
        X.AddAccessToken(user, $"stale-{user.Id}", _fixture.Clock.GetUtcNow().AddMinutes(-1));
        var account = XAccount(new AccountCredentials
        {
            ["access_token"] = $"stale-{user.Id}",
            ["refresh_token"] = "spent-refresh-token",
            ["client_id"] = SandboxAccounts.XClientId,
        });

        var outcome = await _adapter.PublishAsync(Request(Post("Spent refresh"), account));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("renewing it failed", outcome.Error);
        Assert.Contains("authorize Herald again", outcome.Error);
        Assert.DoesNotContain("spent-refresh-token", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_SameTextTwice_SecondIsPermanentDuplicateContent()
    {
        var (account, user, _) = NewAccount("dup");
        await _adapter.PublishAsync(Request(Post("Said once"), account));

        var outcome = await _adapter.PublishAsync(Request(Post("Said once"), account));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(403, outcome.HttpStatus);
        Assert.Contains("duplicate content", outcome.Error);
        Assert.Single(X.Posts, p => p.AuthorId == user.Id);
    }

    [Fact]
    public async Task PublishAsync_AppOnlyToken_Permanent403()
    {
        var account = XAccount(new AccountCredentials { ["access_token"] = SandboxAccounts.XAppOnlyToken }, username: "anyone");

        var outcome = await _adapter.PublishAsync(Request(Post("App-only cannot post"), account));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(403, outcome.HttpStatus);
        Assert.Contains("Application-Only is forbidden", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_WindowUsedUp_RateLimitedUntilTheResetHeader()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = _fixture.Clock, X = { CreatesPerWindow = 2 } });
        var account = XAccount(new AccountCredentials { ["access_token"] = SandboxAccounts.XAccessToken }, baseUrl: sandbox.PlatformBaseUrl("x"));
        var start = _fixture.Clock.GetUtcNow();
        var first = await _adapter.PublishAsync(Request(Post("Window one"), account));
        Assert.Equal(PublishOutcomeKind.Published, first.Kind);
        Assert.Null(first.QuotaExhaustedFor);
        _fixture.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await _adapter.PublishAsync(Request(Post("Window two"), account));
        Assert.Equal(PublishOutcomeKind.Published, second.Kind);
        // The last permit of the window: the answer's headers say none are left, and until when.
        Assert.Equal(start.AddMinutes(15) - _fixture.Clock.GetUtcNow(), second.QuotaExhaustedFor);

        var outcome = await _adapter.PublishAsync(Request(Post("Window three"), account));

        Assert.Equal(PublishOutcomeKind.RateLimited, outcome.Kind);
        Assert.Equal(429, outcome.HttpStatus);
        Assert.Equal(start.AddMinutes(15) - _fixture.Clock.GetUtcNow(), outcome.RetryAfter);
        var refused = sandbox.Requests.For("x")[^1];
        Assert.Equal(429, refused.StatusCode);
        Assert.Equal(2, sandbox.State.X.Posts.Count);
    }

    [Fact]
    public async Task PublishAsync_ServerError_UnknownBecauseThePostMayExist()
    {
        var (account, user, _) = NewAccount("fault", username: "fault_user");
        var outcome = await WithFaultsAsync(new SandboxFaults { ServerErrorRate = 1 }, () => _adapter.PublishAsync(Request(Post("Server error"), account)));

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Equal(503, outcome.HttpStatus);
        Assert.DoesNotContain(X.Posts, p => p.AuthorId == user.Id);
    }

    [Fact]
    public async Task Create_GatewayTimeoutAfterCommit_IsUnknownAndFoundByLookup()
    {
        var gateway = new GatewayTimeoutAfterCommit("POST", "/2/tweets");
        using var provider = Build(_fixture.Clock, gateway: gateway);
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("x");
        var (account, user, _) = NewAccount("gateway", username: "gateway_user");
        var content = Post("Sent once, answered with a gateway timeout.");

        var outcome = await adapter.PublishAsync(Request(content, account));

        Assert.Equal(1, gateway.Replaced);
        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Equal(504, outcome.HttpStatus);
        var post = Assert.Single(X.Posts, p => p.AuthorId == user.Id);

        var lookup = await adapter.FindExistingAsync(Request(content, account) with { UncertainSince = _fixture.Clock.GetUtcNow() });

        Assert.Equal(ExistingPostState.Found, lookup.State);
        Assert.Equal(post.Id, lookup.ExternalId);
    }

    [Fact]
    public async Task Create_DuplicateContent_RefusedAsDuplicateWithoutInvitingARepost()
    {
        var (account, user, _) = NewAccount("dupflag");
        await _adapter.PublishAsync(Request(Post("Said once, flagged"), account));

        var outcome = await _adapter.PublishAsync(Request(Post("Said once, flagged"), account));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.True(outcome.RefusedAsDuplicate);
        Assert.DoesNotContain("post it again", outcome.Error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("change the text", outcome.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Single(X.Posts, p => p.AuthorId == user.Id);
    }

    [Fact]
    public async Task Publish_SuccessWithAnAbsurdResetEpoch_StaysPublished()
    {
        var (account, user, _) = NewAccount("epoch", username: "epoch_user");
        using var provider = Build(_fixture.Clock, rewrite: response =>
        {
            response.Headers.Remove("x-rate-limit-remaining");
            response.Headers.Remove("x-rate-limit-reset");
            response.Headers.TryAddWithoutValidation("x-rate-limit-remaining", "0");
            response.Headers.TryAddWithoutValidation("x-rate-limit-reset", "99999999999999");
        });
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("x");

        var outcome = await adapter.PublishAsync(Request(Post("Posted, then a reset in the year 3 million."), account));

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(Assert.Single(X.Posts, p => p.AuthorId == user.Id).Id, outcome.ExternalId);
        Assert.True(outcome.QuotaExhaustedFor is null || outcome.QuotaExhaustedFor <= TimeSpan.FromDays(30));
    }

    [Fact]
    public async Task PublishAsync_ConnectionRefused_Transient()
    {
        var account = XAccount(new AccountCredentials { ["access_token"] = "any" }, username: "any", baseUrl: new Uri($"http://127.0.0.1:{ClosedPort()}/x"));

        var outcome = await _adapter.PublishAsync(Request(Post("Refused"), account));

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
        Assert.Contains("Could not reach X", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_Timeout_Unknown()
    {
        using var services = Build(_fixture.Clock, o => o.Timeout = TimeSpan.FromSeconds(2));
        var adapter = services.GetRequiredService<PlatformRegistry>().Resolve("x");
        var (account, _, _) = NewAccount("slow", username: "slow_user");
        // The delay runs on the sandbox's fake clock, which nobody moves: the answer never comes.
        var outcome = await WithFaultsAsync(new SandboxFaults { Delay = TimeSpan.FromMinutes(1) }, () => adapter.PublishAsync(Request(Post("Too slow"), account)));

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Contains("did not answer in time", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_SecondPartDroppedAfterAccept_UnknownThenFindExistingFindsThatPart()
    {
        var (account, user, _) = NewAccount("drop");
        var content = Post(ThreeParagraphs("drop"));
        var confirmed = new List<string>();
        var request = Request(content, account) with
        {
            OnPartConfirmed = (id, _) =>
            {
                confirmed.Add(id);
                Server.State.Faults = new SandboxFaults { DropAfterAcceptRate = 1 }; // the answer to part 2 is lost
                return Task.CompletedTask;
            },
        };
        var outcome = await WithFaultsAsync(SandboxFaults.None, () => _adapter.PublishAsync(request));

        var lookup = await _adapter.FindExistingAsync(Request(content, account) with { ConfirmedParts = confirmed });

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.StartsWith("Part 2 of 3:", outcome.Error);
        var posts = X.Posts.Where(p => p.AuthorId == user.Id).ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal(ExistingPostState.Found, lookup.State);
        Assert.Equal(posts[1].Id, lookup.ExternalId);
        Assert.Equal(new Uri($"https://x.com/{user.Username}/status/{posts[1].Id}"), lookup.Url);
    }

    [Fact]
    public async Task FindExistingAsync_PostBehindMoreThanAHundredNewerOnes_FoundOnALaterPageBoundedByTheUncertainSend()
    {
        var (account, user, token) = NewAccount("paging", username: "paging_user");
        var sentAt = _fixture.Clock.GetUtcNow();
        var content = Post("The post that was sent before a hundred and twenty others.");
        var sent = await _adapter.PublishAsync(Request(content, account));
        Assert.Equal(PublishOutcomeKind.Published, sent.Kind);
        for (var i = 0; i < 120; i++)
        {
            if (i % 50 == 0)
            {
                _fixture.Clock.Advance(TimeSpan.FromMinutes(16)); // a fresh create window
            }

            Assert.Equal(PublishOutcomeKind.Published, (await _adapter.PublishAsync(Request(Post($"Newer post number {i}."), account))).Kind);
        }

        var lookup = await _adapter.FindExistingAsync(Request(content, account) with { UncertainSince = sentAt });

        Assert.Equal(ExistingPostState.Found, lookup.State);
        Assert.Equal(sent.ExternalId, lookup.ExternalId);
        var reads = Requests(token).Where(r => r.Method == "GET" && r.Path == $"/x/2/users/{user.Id}/tweets").ToList();
        Assert.Equal(2, reads.Count);
        Assert.All(reads, r => Assert.Contains("start_time=", r.QueryString));
        Assert.Contains("pagination_token=", reads[1].QueryString);
    }

    [Fact]
    public async Task FindExistingAsync_SameTextButNotAReplyToThePreviousPart_NotFound()
    {
        var (account, _, _) = NewAccount("notreply");
        var content = Post(ThreeParagraphs("notreply"));
        var parts = _adapter.Render(content, account).Parts;
        // Part 2's text posted on its own, not as a reply to part 1.
        await _adapter.PublishAsync(Request(Post(parts[1].Text), account));

        var lookup = await _adapter.FindExistingAsync(Request(content, account) with { ConfirmedParts = ["1"] });

        Assert.Equal(ExistingPostState.NotFound, lookup.State);
        Assert.Contains("X refuses an exact repeat", lookup.Reason);
    }

    [Fact]
    public async Task FindExistingAsync_NothingPosted_NotFoundBecauseXRefusesRepeats()
    {
        var (account, _, _) = NewAccount("nothing");

        var lookup = await _adapter.FindExistingAsync(Request(Post("Never sent"), account));

        Assert.Equal(ExistingPostState.NotFound, lookup.State);
    }

    [Fact]
    public async Task FindExistingAsync_RefusedCredentials_IsUnavailableSoItIsAskedAgainLater()
    {
        var account = XAccount(new AccountCredentials { ["access_token"] = "unknown-token" });

        var lookup = await _adapter.FindExistingAsync(Request(Post("Cannot look"), account));

        Assert.Equal(ExistingPostState.Unavailable, lookup.State);
        Assert.Contains("HTTP 401", lookup.Reason);
    }

    [Fact]
    public void Validate_NoCredentials_NamesAccessToken()
    {
        var problem = Assert.Single(_adapter.Validate(Post("No credentials"), XAccount(new AccountCredentials())));

        Assert.Equal("access_token", problem.Field);
        Assert.Equal("x", problem.Platform);
    }

    [Fact]
    public void Validate_HalfOfOAuth1AndABadUsername_NamesEveryMissingField()
    {
        var account = XAccount(new AccountCredentials { ["consumer_key"] = "ck", ["access_token"] = "at" }, username: "not a handle!");

        var problems = _adapter.Validate(Post("Half"), account);

        Assert.Equal(["consumer_secret", "access_token_secret", "username"], problems.Select(p => p.Field));
    }

    [Fact]
    public void Validate_RefreshTokenWithoutClientId_NamesClientId()
    {
        var account = XAccount(new AccountCredentials { ["access_token"] = "at", ["refresh_token"] = "rt" });

        Assert.Equal("client_id", Assert.Single(_adapter.Validate(Post("Refresh"), account)).Field);
    }

    [Fact]
    public void Validate_HashtagLongerThanAPost_NamesTheBody()
    {
        // A hashtag cannot be cut, and unlike a link (23) or a mention (at most 20 characters) it has no bound.
        var account = XAccount(new AccountCredentials { ["access_token"] = "at" });
        var content = Post("#" + new string('a', 300));

        var problem = Assert.Single(_adapter.Validate(content, account));

        Assert.Equal("body", problem.Field);
        Assert.Contains("cannot be posted on X", problem.Message);
    }

    [Fact]
    public void Render_Teaser_IsOnePartWithinTheWeightedLimit()
    {
        var content = new Content
        {
            Title = "Herald goes to X",
            Body = "A long article body. " + string.Concat(Enumerable.Repeat("More words here. ", 60)),
            Description = "Why one Markdown file can become a post on seven platforms.",
            CanonicalUrl = new Uri("https://blog.example.com/herald-goes-to-x"),
            Tags = ["dotnet", "opensource"],
        };

        var rendered = _adapter.Render(content, XAccount(new AccountCredentials { ["access_token"] = "at" }));

        var part = Assert.Single(rendered.Parts);
        Assert.Equal(
            "Herald goes to X\n\nWhy one Markdown file can become a post on seven platforms.\n\nhttps://blog.example.com/herald-goes-to-x\n\n#dotnet #opensource",
            part.Text);
        Assert.Equal(XTextCounter.Instance.Count(part.Text).Count, part.Count);
        Assert.Equal("POST /2/tweets", rendered.Endpoint);
    }

    private static ServiceProvider Build(
        TimeProvider clock,
        Action<Herald.Platforms.X.XOptions>? configure = null,
        GatewayTimeoutAfterCommit? gateway = null,
        Action<HttpResponseMessage>? rewrite = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddHerald().AddX(configure);
        gateway?.AddTo(services, Herald.Platforms.X.XAdapter.HttpClientName);
        if (rewrite is not null)
        {
            services.AddHttpClient(Herald.Platforms.X.XAdapter.HttpClientName).AddHttpMessageHandler(() => new RewritingHandler(rewrite));
        }

        return services.BuildServiceProvider();
    }

    /// <summary>Changes each answer on its way back, as a misbehaving proxy would.</summary>
    private sealed class RewritingHandler(Action<HttpResponseMessage> rewrite) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            rewrite(response);
            return response;
        }
    }

    private (Account Account, XSandboxUser User, string Token) NewAccount(string name, string? username = null)
    {
        var user = X.AddUser(Name(name));
        var token = $"token-{name}-{Guid.NewGuid():N}";
        X.AddAccessToken(user, token);
        return (XAccount(new AccountCredentials { ["access_token"] = token }, username), user, token);
    }

    private Account XAccount(AccountCredentials credentials, string? username = null, Uri? baseUrl = null) => new()
    {
        Platform = "x",
        DisplayName = "X test",
        Credentials = credentials,
        BaseUrl = baseUrl ?? Server.PlatformBaseUrl("x"),
        Settings = username is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["username"] = username },
    };

    private List<RecordedRequest> Requests(string token) =>
        [.. Server.Requests.For("x").Where(r => r.Header("Authorization") == $"Bearer {token}")];

    private static string Name(string name) => $"{name}_{Guid.NewGuid():N}"[..15];

    /// <summary>Three paragraphs of about 200 characters: a thread of exactly three parts.</summary>
    internal static string ThreeParagraphs(string topic) => string.Join("\n\n", Enumerable.Range(1, 3).Select(i =>
        $"Paragraph {i} about {topic}: " + string.Join(' ', Enumerable.Repeat($"word{i}", 30)) + "."));

    /// <summary>An article of about 2,000 characters of plain prose with links, asking for a thread.</summary>
    internal static Content ThreadArticle()
    {
        var sentences = new[]
        {
            "Herald publishes one Markdown file to seven platforms, each in its own format and within its own limits.",
            "Short-form platforms count differently: X weighs every link as 23 characters, see https://docs.x.com/fundamentals/counting-characters for the rule.",
            "A thread is cut at paragraph ends first, then at sentence ends, then between words, and never inside a link such as https://github.com/twitter/twitter-text/tree/master/config.",
            "Each part replies to the one before it, so readers see the whole argument in order.",
            "When the process dies in the middle of a thread, the parts already confirmed are stored, and a resumed publication continues after the last of them.",
            "Nothing is posted twice: the first part that may or may not exist is looked up in the account's own timeline before anything is sent again.",
        };
        var body = new System.Text.StringBuilder();
        for (var i = 0; body.Length < 1950; i++)
        {
            body.Append(i % 3 == 0 && i > 0 ? "\n\n" : body.Length > 0 ? " " : "").Append(sentences[i % sentences.Length]);
        }

        return new Content
        {
            Title = "How Herald threads an article",
            Body = body.ToString(),
            Thread = true,
            Tags = ["dotnet", "herald"],
            CanonicalUrl = new Uri("https://blog.example.com/herald-threads"),
        };
    }

    private static IEnumerable<string> Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static Content Post(string text) => new() { Type = ContentType.Post, Body = text };

    private static PublishRequest Request(Content content, Account account) => new(content, account, "herald-test");

    /// <summary>Runs <paramref name="action"/> with <paramref name="faults"/> in force, then switches them off.</summary>
    private Task<PublishOutcome> WithFaultsAsync(SandboxFaults faults, Func<Task<PublishOutcome>> action) =>
        Server.WithFaultsAsync(faults, action);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
