using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Sandbox.Mastodon;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Platforms.Tests.Mastodon;

/// <summary>
/// The Mastodon adapter, built by DI, against the sandbox instance over real HTTP. Each test posts as its own
/// sandbox account, so idempotency keys and rate limits do not mix.
/// </summary>
public sealed class MastodonAdapterTests : IClassFixture<SandboxFixture>, IDisposable
{
    private const string LongUrl =
        "https://blog.example.com/2026/11/24/a-very-long-article-address-that-goes-on-and-on/with/many/segments/" +
        "and-a-slug-that-nobody-would-ever-type-by-hand-because-it-is-far-too-long-for-that?utm_source=herald&utm_medium=social";

    private readonly SandboxFixture _fixture;
    private readonly ServiceProvider _services;
    private readonly IPlatformAdapter _adapter;

    public MastodonAdapterTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _services = Services(fixture.Clock);
        _adapter = _services.GetRequiredService<PlatformRegistry>().Resolve("mastodon");
    }

    private SandboxServer Server => _fixture.Server;

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task PublishAsync_Post_SendsExactRequestAndReadsIdAndUrl()
    {
        var (account, sandboxAccount) = NewAccount("exact");
        var content = Post("Hello from Herald, with a link https://example.com/a and #dotnet.");

        var outcome = await _adapter.PublishAsync(Request(content, account, "pub-exact"));

        var sent = Assert.Single(Sent(sandboxAccount));
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/mastodon/api/v1/statuses", sent.Path);
        Assert.Equal($"Bearer {sandboxAccount.AccessToken}", sent.Header("Authorization"));
        Assert.Equal("pub-exact", sent.Header("Idempotency-Key"));
        Assert.StartsWith("application/json", sent.Header("Content-Type"));
        Assert.Equal(
            """{"status":"Hello from Herald, with a link https://example.com/a and #dotnet.","visibility":"public"}""",
            sent.Body);
        Assert.Equal(_adapter.Render(content, account).Body, sent.Body);

        var status = Assert.Single(Server.State.Mastodon.Statuses, s => s.Account == sandboxAccount);
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(status.Id, outcome.ExternalId);
        Assert.Equal(new Uri(Server.PlatformBaseUrl("mastodon") + $"/@{sandboxAccount.Username}/{status.Id}"), outcome.Url);
    }

    [Fact]
    public async Task PublishAsync_FirstCallToAnInstance_ReadsItsLimitsFirst()
    {
        var (account, sandboxAccount) = NewAccount("instance");
        var before = Server.Requests.For("mastodon").Count;

        await _adapter.PublishAsync(Request(Post("Limits first."), account, "pub-instance"));

        var calls = Server.Requests.For("mastodon").Skip(before)
            .Where(r => r.Path == "/mastodon/api/v2/instance" || r.Header("Authorization") == $"Bearer {sandboxAccount.AccessToken}")
            .Select(r => $"{r.Method} {r.Path}")
            .ToList();
        Assert.Equal(["GET /mastodon/api/v2/instance", "POST /mastodon/api/v1/statuses"], calls);
    }

    [Fact]
    public async Task PublishAsync_SettingsAndContentLanguage_SentWithEveryPart()
    {
        var (account, sandboxAccount) = NewAccount("settings", new Dictionary<string, string>
        {
            ["visibility"] = "Unlisted",
            ["spoiler_text"] = "Work talk",
            ["language"] = "fr",
        });
        var content = new Content { Type = ContentType.Post, Body = "Settings travel.", Language = "de" };

        var outcome = await _adapter.PublishAsync(Request(content, account, "pub-settings"));

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(
            """{"status":"Settings travel.","visibility":"unlisted","spoiler_text":"Work talk","language":"de"}""",
            Assert.Single(Sent(sandboxAccount)).Body);
        var status = Assert.Single(Server.State.Mastodon.Statuses, s => s.Account == sandboxAccount);
        Assert.Equal("Work talk", status.SpoilerText);
        Assert.Equal("unlisted", status.Visibility);
    }

    [Fact]
    public async Task PublishAsync_LongUrl_FitsOnePostBecauseTheUrlCounts23()
    {
        var (account, sandboxAccount) = NewAccount("longurl");
        var text = new string('a', 470) + " " + LongUrl;
        var content = Post(text);

        var rendered = Assert.Single(_adapter.Render(content, account).Parts);
        var outcome = await _adapter.PublishAsync(Request(content, account, "pub-longurl"));

        Assert.True(text.Length > 600);
        Assert.Equal(470 + 1 + 23, rendered.Count);
        Assert.Equal(500, rendered.Limit);
        Assert.Equal(text, rendered.Text);
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(text, Assert.Single(Server.State.Mastodon.Statuses, s => s.Account == sandboxAccount).Text);
    }

    [Fact]
    public async Task PublishAsync_ThreeParts_SendsExactRequestsEachReplyingToThePrevious()
    {
        var (account, sandboxAccount) = NewAccount("thread");
        var content = Post(ThreePartText());
        var rendered = _adapter.Render(content, account);
        var confirmedBeforeNext = new List<(string Id, int PostsSoFar)>();
        var request = Request(content, account, "pub-thread") with
        {
            OnPartConfirmed = (id, _) =>
            {
                confirmedBeforeNext.Add((id, Sent(sandboxAccount).Count));
                return Task.CompletedTask;
            },
        };

        var outcome = await _adapter.PublishAsync(request);

        Assert.Equal(3, rendered.Parts.Count);
        var sent = Sent(sandboxAccount);
        Assert.Equal(3, sent.Count);
        var statuses = Server.State.Mastodon.Statuses.Where(s => s.Account == sandboxAccount).ToList();
        Assert.Equal(["pub-thread", "pub-thread-2", "pub-thread-3"], sent.Select(r => r.Header("Idempotency-Key")));
        Assert.All(sent, r => Assert.Equal("/mastodon/api/v1/statuses", r.Path));
        Assert.All(sent, r => Assert.Equal($"Bearer {sandboxAccount.AccessToken}", r.Header("Authorization")));
        Assert.Equal(rendered.Parts[0].Body, sent[0].Body);
        Assert.Equal(rendered.Parts[1].Body!.Replace("{id of part 1}", statuses[0].Id, StringComparison.Ordinal), sent[1].Body);
        Assert.Equal(rendered.Parts[2].Body!.Replace("{id of part 2}", statuses[1].Id, StringComparison.Ordinal), sent[2].Body);
        Assert.Equal(
            JsonSerializer.Serialize(new { status = rendered.Parts[1].Text, in_reply_to_id = statuses[0].Id, visibility = "public" }),
            sent[1].Body);

        Assert.Equal([null, statuses[0].Id, statuses[1].Id], statuses.Select(s => s.InReplyToId));
        Assert.Equal(rendered.Parts.Select(p => p.Text), statuses.Select(s => s.Text));
        Assert.All(rendered.Parts, p => Assert.InRange(p.Count, 1, 500));
        Assert.EndsWith(" 1/3", statuses[0].Text);
        Assert.EndsWith(" 3/3", statuses[2].Text);

        Assert.Equal([(statuses[0].Id, 1), (statuses[1].Id, 2), (statuses[2].Id, 3)], confirmedBeforeNext);
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(statuses[0].Id, outcome.ExternalId);
        Assert.Equal(new Uri(Server.PlatformBaseUrl("mastodon") + $"/@{sandboxAccount.Username}/{statuses[0].Id}"), outcome.Url);
    }

    [Fact]
    public async Task PublishAsync_ResumedAfterPartOne_SendsOnlyTheRestReplyingToPartOne()
    {
        var (account, sandboxAccount) = NewAccount("resume");
        var content = Post(ThreePartText());
        var crash = Request(content, account, "pub-resume") with
        {
            OnPartConfirmed = (_, _) => throw new ProcessKilledException(),
        };
        await Assert.ThrowsAsync<ProcessKilledException>(() => _adapter.PublishAsync(crash));
        var first = Assert.Single(Server.State.Mastodon.Statuses, s => s.Account == sandboxAccount);
        var confirmed = new List<string> { first.Id };

        var outcome = await _adapter.PublishAsync(Request(content, account, "pub-resume") with
        {
            ConfirmedParts = [first.Id],
            OnPartConfirmed = (id, _) =>
            {
                confirmed.Add(id);
                return Task.CompletedTask;
            },
        });

        var posts = Sent(sandboxAccount).Where(r => r.Method == "POST").ToList();
        Assert.Equal(["pub-resume", "pub-resume-2", "pub-resume-3"], posts.Select(r => r.Header("Idempotency-Key")));
        var statuses = Server.State.Mastodon.Statuses.Where(s => s.Account == sandboxAccount).ToList();
        Assert.Equal(3, statuses.Count);
        Assert.Equal([null, statuses[0].Id, statuses[1].Id], statuses.Select(s => s.InReplyToId));
        Assert.Equal(statuses.Select(s => s.Id), confirmed);
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(first.Id, outcome.ExternalId);
        Assert.Equal(new Uri(Server.PlatformBaseUrl("mastodon") + $"/@{sandboxAccount.Username}/{first.Id}"), outcome.Url);
    }

    [Fact]
    public async Task PublishAsync_EveryPartConfirmed_PublishedWithoutPosting()
    {
        var (account, sandboxAccount) = NewAccount("done");
        var content = Post("Already there.");
        var first = await _adapter.PublishAsync(Request(content, account, "pub-done"));

        var again = await _adapter.PublishAsync(Request(content, account, "pub-done") with { ConfirmedParts = [first.ExternalId!] });

        Assert.Single(Sent(sandboxAccount), r => r.Method == "POST");
        Assert.Equal(PublishOutcomeKind.Published, again.Kind);
        Assert.Equal(first.ExternalId, again.ExternalId);
        Assert.Equal(first.Url, again.Url);
    }

    [Fact]
    public async Task PublishAsync_DroppedAfterAccept_UnknownThenFoundAndAResendWithTheSameKeyMakesNoSecondStatus()
    {
        var (account, sandboxAccount) = NewAccount("dropped");
        var content = Post("Dropped Mastodon answer.");
        var outcome = await WithFaults(new SandboxFaults { DropAfterAcceptRate = 1 }, () => _adapter.PublishAsync(Request(content, account, "pub-dropped")));

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        var lookup = await _adapter.FindExistingAsync(Request(content, account, "pub-dropped"));
        Assert.Equal(ExistingPostState.Found, lookup.State);

        var resent = await _adapter.PublishAsync(Request(content, account, "pub-dropped"));

        var status = Assert.Single(Server.State.Mastodon.Statuses, s => s.Account == sandboxAccount);
        Assert.Equal(PublishOutcomeKind.Published, resent.Kind);
        Assert.Equal(status.Id, resent.ExternalId);
        Assert.Equal(["pub-dropped", "pub-dropped"], Sent(sandboxAccount).Select(r => r.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task PublishAsync_ThreadPartTwoDroppedThenResumed_PartTwoIsNotPostedTwice()
    {
        var (account, sandboxAccount) = NewAccount("dropthread");
        var content = Post(ThreePartText());
        var confirmed = new List<string>();
        PublishOutcome first;
        try
        {
            first = await _adapter.PublishAsync(Request(content, account, "pub-dropthread") with
            {
                OnPartConfirmed = (id, _) =>
                {
                    confirmed.Add(id);
                    Server.State.Faults = new SandboxFaults { DropAfterAcceptRate = 1 };
                    return Task.CompletedTask;
                },
            });
        }
        finally
        {
            Server.State.Faults = SandboxFaults.None;
        }

        var resent = await _adapter.PublishAsync(Request(content, account, "pub-dropthread") with
        {
            ConfirmedParts = [.. confirmed],
            OnPartConfirmed = (id, _) =>
            {
                confirmed.Add(id);
                return Task.CompletedTask;
            },
        });

        Assert.Equal(PublishOutcomeKind.Unknown, first.Kind);
        Assert.Equal(PublishOutcomeKind.Published, resent.Kind);
        var statuses = Server.State.Mastodon.Statuses.Where(s => s.Account == sandboxAccount).ToList();
        Assert.Equal(3, statuses.Count);
        Assert.Equal(statuses.Select(s => s.Id), confirmed);
        Assert.Equal(["pub-dropthread", "pub-dropthread-2", "pub-dropthread-2", "pub-dropthread-3"], Sent(sandboxAccount).Select(r => r.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task PublishAsync_InstanceAllows1000_PublishesOnePostWhereTheDefaultWouldSplit()
    {
        var clock = new FakeTimeProvider(_fixture.Clock.GetUtcNow());
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = clock, Mastodon = { MaxCharacters = 1000 } });
        var account = new Account
        {
            Platform = "mastodon",
            DisplayName = "big instance",
            Credentials = new AccountCredentials { ["access_token"] = Herald.Sandbox.SandboxAccounts.MastodonToken },
            BaseUrl = server.PlatformBaseUrl("mastodon"),
        };
        var content = Post(string.Join(' ', Enumerable.Repeat("Words that fill the post.", 36)).Trim());

        var before = _adapter.Render(content, account);
        var outcome = await _adapter.PublishAsync(Request(content, account, "pub-big"));
        var after = _adapter.Render(content, account);

        Assert.Equal(2, before.Parts.Count);
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        var status = Assert.Single(server.State.Mastodon.Statuses);
        Assert.Equal(content.Body, status.Text);
        var part = Assert.Single(after.Parts);
        Assert.Equal(1000, part.Limit);
        Assert.Equal(content.Body.Length, part.Count);
    }

    [Fact]
    public async Task PublishAsync_WrongToken_PermanentWithoutTheToken()
    {
        var account = Account("not-a-mastodon-token");

        var outcome = await _adapter.PublishAsync(Request(Post("Wrong token."), account, "pub-401"));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(401, outcome.HttpStatus);
        Assert.Contains("MASTODON_ACCESS_TOKEN", outcome.Error);
        Assert.DoesNotContain("not-a-mastodon-token", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_DisabledLogin_Permanent403()
    {
        var (account, sandboxAccount) = NewAccount("disabled");
        sandboxAccount.Disabled = true;

        var outcome = await _adapter.PublishAsync(Request(Post("Disabled."), account, "pub-403"));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(403, outcome.HttpStatus);
        Assert.Contains("Your login is currently disabled", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_ReplyToAStatusThatIsGone_Permanent404()
    {
        var (account, _) = NewAccount("gone");

        var outcome = await _adapter.PublishAsync(Request(Post(ThreePartText()), account, "pub-404") with { ConfirmedParts = ["1"] });

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(404, outcome.HttpStatus);
        Assert.Contains("Record not found", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_InstanceLoweredItsLimitSinceItWasRead_Permanent422()
    {
        var (account, sandboxAccount) = NewAccount("lowered");
        await _adapter.PublishAsync(Request(Post("Reads the limits."), account, "pub-422-a"));
        Server.State.Mastodon.MaxCharacters = 20;
        PublishOutcome outcome;
        try
        {
            outcome = await _adapter.PublishAsync(Request(Post("This text is longer than twenty characters."), account, "pub-422-b"));
        }
        finally
        {
            Server.State.Mastodon.MaxCharacters = 500;
        }

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(422, outcome.HttpStatus);
        Assert.Contains("Validation failed: Text character limit of 20 exceeded", outcome.Error);
        Assert.Single(Server.State.Mastodon.Statuses, s => s.Account == sandboxAccount);
    }

    [Fact]
    public async Task PublishAsync_StatusLimitReached_RateLimitedUntilTheIsoReset()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 30, 0, TimeSpan.Zero));
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = clock, Mastodon = { StatusesPerWindow = 2 } });
        using var services = Services(clock);
        var adapter = services.GetRequiredService<PlatformRegistry>().Resolve("mastodon");
        var account = new Account
        {
            Platform = "mastodon",
            DisplayName = "limited",
            Credentials = new AccountCredentials { ["access_token"] = Herald.Sandbox.SandboxAccounts.MastodonToken },
            BaseUrl = server.PlatformBaseUrl("mastodon"),
        };
        Assert.Null((await adapter.PublishAsync(Request(Post("One."), account, "rl-1"))).QuotaExhaustedFor);
        var last = await adapter.PublishAsync(Request(Post("Two."), account, "rl-2"));
        // The last status of the window: X-RateLimit-Remaining 0, and the reset it names.
        Assert.Equal(PublishOutcomeKind.Published, last.Kind);
        Assert.Equal(TimeSpan.FromMinutes(90), last.QuotaExhaustedFor);

        var outcome = await adapter.PublishAsync(Request(Post("Three."), account, "rl-3"));

        Assert.Equal(PublishOutcomeKind.RateLimited, outcome.Kind);
        Assert.Equal(429, outcome.HttpStatus);

        // Three-hour windows aligned to the epoch: 09:00-12:00 UTC.
        Assert.Equal(TimeSpan.FromMinutes(90), outcome.RetryAfter);
        Assert.Equal(2, server.State.Mastodon.Statuses.Count);
    }

    [Fact]
    public async Task PublishAsync_ServerError_UnknownBecauseTheStatusMayExist()
    {
        var (account, sandboxAccount) = NewAccount("fault");

        var outcome = await WithFaults(new SandboxFaults { ServerErrorRate = 1 }, () => _adapter.PublishAsync(Request(Post("503."), account, "pub-503")));

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Equal(503, outcome.HttpStatus);
        Assert.DoesNotContain(Server.State.Mastodon.Statuses, s => s.Account == sandboxAccount);
    }

    [Fact]
    public async Task PublishAsync_InjectedRateLimitWithRetryAfterOnly_RateLimitedForThatLong()
    {
        var (account, _) = NewAccount("injected429");

        var outcome = await WithFaults(
            new SandboxFaults { RateLimitRate = 1, RetryAfterSeconds = 42 },
            () => _adapter.PublishAsync(Request(Post("429."), account, "pub-429")));

        Assert.Equal(PublishOutcomeKind.RateLimited, outcome.Kind);
        Assert.Equal(TimeSpan.FromSeconds(42), outcome.RetryAfter);
    }

    [Fact]
    public async Task Create_GatewayTimeoutAfterCommit_IsUnknownAndFoundByLookup()
    {
        var gateway = new GatewayTimeoutAfterCommit("POST", "/api/v1/statuses");
        using var provider = Services(_fixture.Clock, gateway);
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("mastodon");
        var (account, sandboxAccount) = NewAccount("gateway");
        var content = Post("Sent once, answered with a gateway timeout.");

        var outcome = await adapter.PublishAsync(Request(content, account, "pub-gateway"));

        Assert.Equal(1, gateway.Replaced);
        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Equal(504, outcome.HttpStatus);
        var status = Assert.Single(Server.State.Mastodon.Statuses, s => s.Account == sandboxAccount);

        var lookup = await adapter.FindExistingAsync(Request(content, account, "pub-gateway") with { UncertainSince = _fixture.Clock.GetUtcNow() });

        Assert.Equal(ExistingPostState.Found, lookup.State);
        Assert.Equal(status.Id, lookup.ExternalId);
    }

    [Fact]
    public async Task FindExistingAsync_TwoHoursAfterAnUncertainSend_LooksItUpSoNoSecondStatus()
    {
        var gateway = new GatewayTimeoutAfterCommit("POST", "/api/v1/statuses");
        using var provider = Services(_fixture.Clock, gateway);
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("mastodon");
        var (account, sandboxAccount) = NewAccount("keyexpiry");
        var content = Post("Sent once, then looked for two hours later.");
        var request = Request(content, account, "pub-key-expiry") with { UncertainSince = _fixture.Clock.GetUtcNow() };
        Assert.Equal(PublishOutcomeKind.Unknown, (await adapter.PublishAsync(request)).Kind);
        _fixture.Clock.Advance(TimeSpan.FromHours(2)); // Mastodon has forgotten the Idempotency-Key by now

        var lookup = await adapter.FindExistingAsync(request);
        if (lookup.State == ExistingPostState.NotFound)
        {
            await adapter.PublishAsync(request); // what the engine does after NotFound
        }

        var status = Assert.Single(Server.State.Mastodon.Statuses, s => s.Account == sandboxAccount);
        Assert.Equal(ExistingPostState.Found, lookup.State);
        Assert.Equal(status.Id, lookup.ExternalId);
    }

    [Fact]
    public async Task FindExistingAsync_KeyExpiredAndNothingPosted_NotFoundAfterReadingTheAccountsStatuses()
    {
        var (account, sandboxAccount) = NewAccount("keyexpired-none");
        var request = Request(Post("Never reached the instance."), account, "pub-key-none") with { UncertainSince = _fixture.Clock.GetUtcNow() };
        _fixture.Clock.Advance(TimeSpan.FromHours(2));

        var lookup = await _adapter.FindExistingAsync(request);

        Assert.Equal(ExistingPostState.NotFound, lookup.State);
        Assert.Contains(
            Server.Requests.For("mastodon"),
            r => r.Method == "GET" && r.Path == $"/mastodon/api/v1/accounts/{sandboxAccount.Id}/statuses" &&
                 r.Header("Authorization") == $"Bearer {sandboxAccount.AccessToken}");
    }

    [Fact]
    public async Task PublishAsync_ResumedWhereTheInstanceNowAllowsMore_ContinuesTheStoredCutSoNothingIsMissingOrRepeated()
    {
        var (account, sandboxAccount) = NewAccount("recut");
        var content = Post(ThreePartText());
        Server.State.Mastodon.MaxCharacters = 1500;
        try
        {
            // Try 1: the instance cannot be read, so the text is cut at upstream's 500; part 2 meets a server error.
            using var first = Services(_fixture.Clock);
            var firstAdapter = first.GetRequiredService<PlatformRegistry>().Resolve("mastodon");
            var stored = firstAdapter.Render(content, account);
            Assert.Equal(3, stored.Parts.Count);
            var confirmed = new List<string>();
            var firstTry = await WithFaults(
                new SandboxFaults { ServerErrorRate = 1, PathContains = "/api/v2/instance", IncludeReads = true },
                () => firstAdapter.PublishAsync(Request(content, account, "pub-recut") with
                {
                    StoredPayload = stored.Body,
                    OnPartConfirmed = (id, _) =>
                    {
                        confirmed.Add(id);
                        Server.State.Faults = new SandboxFaults { ServerErrorRate = 1, PathContains = "/api/v1/statuses" };
                        return Task.CompletedTask;
                    },
                }));
            Assert.NotEqual(PublishOutcomeKind.Published, firstTry.Kind);
            Assert.Single(confirmed);

            // Try 2, in a fresh process that reads 1,500 from the instance.
            using var second = Services(_fixture.Clock);
            var secondAdapter = second.GetRequiredService<PlatformRegistry>().Resolve("mastodon");
            var outcome = await secondAdapter.PublishAsync(Request(content, account, "pub-recut") with { ConfirmedParts = confirmed, StoredPayload = stored.Body });

            Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
            var statuses = Server.State.Mastodon.Statuses.Where(s => s.Account == sandboxAccount).ToList();
            Assert.Equal(stored.Parts.Select(p => p.Text), statuses.Select(s => s.Text));
            Assert.Equal([null, statuses[0].Id, statuses[1].Id], statuses.Select(s => s.InReplyToId));
        }
        finally
        {
            Server.State.Mastodon.MaxCharacters = 500;
        }
    }

    [Fact]
    public async Task PublishAsync_ConnectionRefused_Transient()
    {
        var account = Account("any", new Uri($"http://127.0.0.1:{ClosedPort()}/mastodon"));

        var outcome = await _adapter.PublishAsync(Request(Post("Refused."), account, "pub-refused"));

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
        Assert.Contains("Could not reach Mastodon", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_NoAnswerWithinTimeout_Unknown()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_fixture.Clock);
        services.AddHerald().AddMastodon(o => o.Timeout = TimeSpan.FromSeconds(2));
        using var provider = services.BuildServiceProvider();
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("mastodon");
        var (account, _) = NewAccount("timeout");

        var outcome = await WithFaults(
            new SandboxFaults { Delay = TimeSpan.FromMinutes(5) },
            () => adapter.PublishAsync(Request(Post("Too slow."), account, "pub-timeout")));

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Contains("did not answer in time", outcome.Error);
    }

    [Fact]
    public async Task FindExistingAsync_StatusesUnreadableWithinTheKeysHour_NotFoundBecauseTheKeyMakesAResendSafe()
    {
        var (account, _) = NewAccount("find");
        var request = Request(Post("Find."), account, "pub-find") with { UncertainSince = _fixture.Clock.GetUtcNow() };

        var lookup = await WithLookup(new SandboxFaults { ServerErrorRate = 1, PathContains = "/accounts/", IncludeReads = true }, () => _adapter.FindExistingAsync(request));

        Assert.Equal(ExistingPostState.NotFound, lookup.State);
        Assert.Contains("still keeps the Idempotency-Key", lookup.Reason);
    }

    [Fact]
    public async Task FindExistingAsync_StatusesUnreadableAfterTheKeysHour_IsUnavailableSoItIsAskedAgainLater()
    {
        var (account, _) = NewAccount("find-late");
        var request = Request(Post("Find late."), account, "pub-find-late") with { UncertainSince = _fixture.Clock.GetUtcNow() - TimeSpan.FromHours(2) };

        var lookup = await WithLookup(new SandboxFaults { ServerErrorRate = 1, PathContains = "/accounts/", IncludeReads = true }, () => _adapter.FindExistingAsync(request));

        Assert.Equal(ExistingPostState.Unavailable, lookup.State);
        Assert.Contains("forgets an Idempotency-Key after an hour", lookup.Reason);
    }

    [Fact]
    public void Validate_MissingTokenAndBadVisibility_NamesBothFields()
    {
        var account = new Account
        {
            Platform = "mastodon",
            DisplayName = "incomplete",
            Settings = new Dictionary<string, string> { ["visibility"] = "everyone" },
        };

        var problems = _adapter.Validate(Post("Hello."), account);

        Assert.Equal(["access_token", "visibility"], problems.Select(p => p.Field));
        Assert.All(problems, p => Assert.Equal("mastodon", p.Platform));
        Assert.Contains("public, unlisted, private, direct", problems[1].Message);
    }

    [Fact]
    public void Validate_ContentWarningLongerThanAPost_BodyCannotFit()
    {
        var account = Account("token");
        var withWarning = new Account
        {
            Platform = account.Platform,
            DisplayName = account.DisplayName,
            Credentials = account.Credentials,
            BaseUrl = account.BaseUrl,
            Settings = new Dictionary<string, string> { ["spoiler_text"] = new('w', 499) },
        };

        var problem = Assert.Single(_adapter.Validate(Post("Two words."), withWarning));

        Assert.Equal("body", problem.Field);
        Assert.Contains("500 characters", problem.Message);
    }

    [Fact]
    public void Validate_GoodAccountAndPost_NoProblems()
    {
        Assert.Empty(_adapter.Validate(Post("Fine."), Account("token")));
    }

    [Fact]
    public void Platform_AliasesAndCapabilities_AsDocumented()
    {
        var registry = _services.GetRequiredService<PlatformRegistry>();

        Assert.Same(_adapter, registry.Resolve("toot"));
        Assert.Same(_adapter, registry.Resolve("Masto"));
        var capabilities = _adapter.Platform.Capabilities;
        Assert.True(capabilities.SupportsThreads);
        Assert.Equal(new RateLimitDefault(300, TimeSpan.FromHours(3)), capabilities.DefaultRateLimit);
    }

    private static ServiceProvider Services(TimeProvider clock, GatewayTimeoutAfterCommit? gateway = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddHerald().AddMastodon();
        gateway?.AddTo(services, Herald.Platforms.Mastodon.MastodonAdapter.HttpClientName);
        return services.BuildServiceProvider();
    }

    private async Task<PublishOutcome> WithFaults(SandboxFaults faults, Func<Task<PublishOutcome>> action)
    {
        Server.State.Faults = faults;
        try
        {
            return await action();
        }
        finally
        {
            Server.State.Faults = SandboxFaults.None;
        }
    }

    private async Task<ExistingPostLookup> WithLookup(SandboxFaults faults, Func<Task<ExistingPostLookup>> action)
    {
        Server.State.Faults = faults;
        try
        {
            return await action();
        }
        finally
        {
            Server.State.Faults = SandboxFaults.None;
        }
    }

    private List<RecordedRequest> Sent(MastodonAccount account) =>
        Server.Requests.For("mastodon").Where(r => r.Header("Authorization") == $"Bearer {account.AccessToken}" && r.Method == "POST").ToList();

    private (Account Account, MastodonAccount SandboxAccount) NewAccount(string name, Dictionary<string, string>? settings = null)
    {
        var sandboxAccount = Server.State.Mastodon.AddAccount($"token-{name}-{Guid.NewGuid():N}", name);
        var account = Account(sandboxAccount.AccessToken);
        return (new Account
        {
            Platform = account.Platform,
            DisplayName = account.DisplayName,
            Credentials = account.Credentials,
            BaseUrl = account.BaseUrl,
            Settings = settings ?? new Dictionary<string, string>(),
        }, sandboxAccount);
    }

    private Account Account(string token, Uri? baseUrl = null) => new()
    {
        Platform = "mastodon",
        DisplayName = "Mastodon test",
        Credentials = new AccountCredentials { ["access_token"] = token },
        BaseUrl = baseUrl ?? Server.PlatformBaseUrl("mastodon"),
    };

    /// <summary>About 1,300 characters in sentences: three posts of at most 500.</summary>
    private static string ThreePartText() =>
        string.Join(' ', Enumerable.Range(1, 20).Select(i => $"Sentence number {i} says a little more about Herald and threads."));

    private static Content Post(string text) => new() { Type = ContentType.Post, Body = text };

    private static PublishRequest Request(Content content, Account account, string key) => new(content, account, key);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class ProcessKilledException : Exception;
}
