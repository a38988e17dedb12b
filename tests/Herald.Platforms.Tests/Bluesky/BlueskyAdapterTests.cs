using System.Net;
using System.Net.Sockets;
using System.Text.Encodings.Web;
using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms.Bluesky;
using Herald.Sandbox;
using Herald.Sandbox.Bluesky;
using Herald.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Platforms.Tests.Bluesky;

/// <summary>
/// The Bluesky adapter, built by DI, against the sandbox PDS over real HTTP. Each test logs in as its own
/// sandbox account. Each test gets its own sandbox and clock, since sessions expire on that clock.
/// </summary>
public sealed class BlueskyAdapterTests : IAsyncLifetime
{
    private const string Collection = "app.bsky.feed.post";

    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingCredentialsStore _store = new();
    private SandboxServer _server = null!;
    private ServiceProvider _services = null!;
    private IPlatformAdapter _adapter = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = _clock, Random = new Random(7) });
        _services = Services(_store);
        _adapter = _services.GetRequiredService<PlatformRegistry>().Resolve("bluesky");
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task PublishAsync_Post_LogsInThenSendsExactCreateRecord()
    {
        var (account, user) = NewAccount("exact");
        var content = Post("Hello Bluesky from Herald.");

        var outcome = await _adapter.PublishAsync(Request(content, account, "pub-exact"));

        var calls = Calls();
        Assert.Equal(["POST /bluesky/xrpc/com.atproto.server.createSession", "POST /bluesky/xrpc/com.atproto.repo.createRecord"], calls.Select(c => $"{c.Method} {c.Path}"));
        Assert.Equal($$"""{"identifier":"{{user.Handle}}","password":"{{user.AppPassword}}"}""", calls[0].Body);
        var rkey = BlueskyRecordKeys.For("pub-exact", 1);
        Assert.Equal(
            $$$"""{"repo":"{{{user.Did}}}","collection":"app.bsky.feed.post","rkey":"{{{rkey}}}","validate":true,"record":{"$type":"app.bsky.feed.post","text":"Hello Bluesky from Herald.","createdAt":"2026-11-24T09:00:00.000Z"}}""",
            calls[1].Body);
        Assert.StartsWith("application/json", calls[1].Header("Content-Type"));
        Assert.Equal($"Bearer {account.Credentials["access_jwt"]}", calls[1].Header("Authorization"));
        Assert.Matches(@"^Bearer [\w-]+\.[\w-]+\.[\w-]+$", calls[1].Header("Authorization"));

        var record = Assert.Single(_server.State.Bluesky.Records);
        Assert.Equal(rkey, record.RecordKey);
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal($"at://{user.Did}/{Collection}/{rkey}", outcome.ExternalId);
        Assert.Equal(new Uri($"https://bsky.app/profile/{user.Handle}/post/{rkey}"), outcome.Url);
    }

    [Fact]
    public async Task PublishAsync_EmojiBeforeLinkAndMention_FacetsHaveExactUtf8Offsets()
    {
        var (account, _) = NewAccount("facets");
        const string text = "✨ example mentioning @atproto.com to share the URL 👨‍❤️‍👨 https://en.wikipedia.org/wiki/CBOR.";
        var content = Post(text);

        var rendered = Assert.Single(_adapter.Render(content, account).Parts);
        var outcome = await _adapter.PublishAsync(Request(content, account, "pub-facets"));

        // docs/platforms.md, Bluesky: the mention is bytes 23–35 and the link 74–108.
        Assert.Equal(
            [new RenderedFacet("mention", 23, 35, "atproto.com"), new RenderedFacet("link", 74, 108, "https://en.wikipedia.org/wiki/CBOR")],
            rendered.Facets);
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        using var record = JsonDocument.Parse(Assert.Single(_server.State.Bluesky.Records).Json);
        Assert.Equal(
            """[{"index":{"byteStart":23,"byteEnd":35},"features":[{"$type":"app.bsky.richtext.facet#mention","did":"did:plc:ewvi7nxzyoun6zhxrhs64oiz"}]},{"index":{"byteStart":74,"byteEnd":108},"features":[{"$type":"app.bsky.richtext.facet#link","uri":"https://en.wikipedia.org/wiki/CBOR"}]}]""",
            record.RootElement.GetProperty("facets").GetRawText());
        Assert.Contains(Calls(), c => c.Path == "/bluesky/xrpc/com.atproto.identity.resolveHandle" && c.QueryString == "?handle=atproto.com");

        // Once resolved, a preview shows the DID.
        Assert.Equal("did:plc:ewvi7nxzyoun6zhxrhs64oiz", _adapter.Render(content, account).Parts[0].Facets[0].Value);
    }

    [Fact]
    public async Task PublishAsync_HashtagBareDomainAndUnknownHandle_TagAndLinkFacetsOnly()
    {
        var (account, _) = NewAccount("tags");
        var content = Post("Read example.com/docs with @nobody.example.org #dotnet");

        var outcome = await _adapter.PublishAsync(Request(content, account, "pub-tags"));

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        using var record = JsonDocument.Parse(Assert.Single(_server.State.Bluesky.Records).Json);
        Assert.Equal(
            """[{"index":{"byteStart":5,"byteEnd":21},"features":[{"$type":"app.bsky.richtext.facet#link","uri":"https://example.com/docs"}]},{"index":{"byteStart":47,"byteEnd":54},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"dotnet"}]}]""",
            record.RootElement.GetProperty("facets").GetRawText());
    }

    [Fact]
    public async Task PublishAsync_ThreeParts_EveryReplyNamesRootAndParent()
    {
        var (account, user) = NewAccount("thread");
        var content = Post(ThreePartText());
        var rendered = _adapter.Render(content, account);
        var confirmed = new List<(string PartId, int RecordsSoFar)>();

        var outcome = await _adapter.PublishAsync(Request(content, account, "pub-thread") with
        {
            OnPartConfirmed = (id, _) =>
            {
                confirmed.Add((id, _server.State.Bluesky.Records.Count));
                return Task.CompletedTask;
            },
        });

        Assert.Equal(3, rendered.Parts.Count);
        var records = _server.State.Bluesky.Records;
        Assert.Equal(3, records.Count);
        var keys = Enumerable.Range(1, 3).Select(n => BlueskyRecordKeys.For("pub-thread", n)).ToList();
        Assert.Equal(keys, records.Select(r => r.RecordKey));
        var creates = Calls().Where(c => c.Path.EndsWith("createRecord", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, creates.Count);
        string Ref(BlueskyRecord r) => $$"""{"uri":"{{r.Uri}}","cid":"{{r.Cid}}"}""";
        for (var i = 0; i < 3; i++)
        {
            var reply = i == 0 ? "" : $$""","reply":{"root":{{Ref(records[0])}},"parent":{{Ref(records[i - 1])}}}""";
            Assert.Equal(
                $$$"""{"repo":"{{{user.Did}}}","collection":"app.bsky.feed.post","rkey":"{{{keys[i]}}}","validate":true,"record":{"$type":"app.bsky.feed.post","text":{{{JsonSerializer.Serialize(rendered.Parts[i].Text, RelaxedJson)}}},"createdAt":"2026-11-24T09:00:00.000Z"{{{reply}}}}}""",
                creates[i].Body);
        }

        Assert.Equal(records.Select((r, i) => ($"{r.Uri}|{r.Cid}", i + 1)), confirmed);
        Assert.All(rendered.Parts, p => Assert.InRange(p.Count, 1, 300));
        Assert.All(rendered.Parts, p => Assert.Equal((Encoding(p.Text), 3000, "bytes"), p.Secondary));
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(records[0].Uri, outcome.ExternalId);
        Assert.Equal(new Uri($"https://bsky.app/profile/{user.Handle}/post/{keys[0]}"), outcome.Url);
    }

    [Fact]
    public async Task PublishAsync_ResumedAfterPartOne_SendsOnlyTheRestWithPartOneAsRoot()
    {
        var (account, _) = NewAccount("resume");
        var content = Post(ThreePartText());
        await Assert.ThrowsAsync<ProcessKilledException>(() => _adapter.PublishAsync(Request(content, account, "pub-resume") with
        {
            OnPartConfirmed = (_, _) => throw new ProcessKilledException(),
        }));
        var first = Assert.Single(_server.State.Bluesky.Records);
        var before = Calls().Count(c => c.Path.EndsWith("createRecord", StringComparison.Ordinal));

        var outcome = await _adapter.PublishAsync(Request(content, account, "pub-resume") with { ConfirmedParts = [$"{first.Uri}|{first.Cid}"] });

        var records = _server.State.Bluesky.Records;
        Assert.Equal(3, records.Count);
        Assert.Equal(2, Calls().Count(c => c.Path.EndsWith("createRecord", StringComparison.Ordinal)) - before);
        foreach (var (record, parent) in new[] { (records[1], records[0]), (records[2], records[1]) })
        {
            using var json = JsonDocument.Parse(record.Json);
            var reply = json.RootElement.GetProperty("reply");
            Assert.Equal(first.Uri, reply.GetProperty("root").GetProperty("uri").GetString());
            Assert.Equal(first.Cid, reply.GetProperty("root").GetProperty("cid").GetString());
            Assert.Equal(parent.Uri, reply.GetProperty("parent").GetProperty("uri").GetString());
        }

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(first.Uri, outcome.ExternalId);
    }

    [Fact]
    public async Task PublishAsync_EveryPartConfirmed_PublishedWithoutAnyCall()
    {
        var (account, user) = NewAccount("done");
        var partId = $"at://{user.Did}/{Collection}/3kabcdefghij2|bafyreiexample";

        var outcome = await _adapter.PublishAsync(Request(Post("Done."), account, "pub-done") with { ConfirmedParts = [partId] });

        Assert.Empty(Calls());
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal($"at://{user.Did}/{Collection}/3kabcdefghij2", outcome.ExternalId);
        Assert.Equal(new Uri($"https://bsky.app/profile/{user.Handle}/post/3kabcdefghij2"), outcome.Url);
    }

    [Fact]
    public async Task PublishAsync_SameKeyTwice_NoSecondRecord()
    {
        var (account, _) = NewAccount("twice");
        var content = Post("Only once.");
        var first = await _adapter.PublishAsync(Request(content, account, "pub-twice"));

        var second = await _adapter.PublishAsync(Request(content, account, "pub-twice"));

        var record = Assert.Single(_server.State.Bluesky.Records);
        Assert.Equal(PublishOutcomeKind.Published, second.Kind);
        Assert.Equal(first.ExternalId, second.ExternalId);
        Assert.Equal(record.Uri, second.ExternalId);
        Assert.Contains(Calls(), c => c.Path.EndsWith("createRecord", StringComparison.Ordinal) && c.StatusCode == 500);
        Assert.Contains(Calls(), c => c.Path.EndsWith("getRecord", StringComparison.Ordinal) && c.StatusCode == 200);
    }

    [Fact]
    public async Task PublishAsync_DroppedAfterAccept_UnknownThenFoundAndResendMakesNoSecondRecord()
    {
        var (account, _) = NewAccount("dropped");
        var content = Post("Dropped Bluesky answer.");
        await LogInAsync(account);
        var outcome = await WithFaults(new SandboxFaults { DropAfterAcceptRate = 1 }, () => _adapter.PublishAsync(Request(content, account, "pub-dropped")));

        var lookup = await _adapter.FindExistingAsync(Request(content, account, "pub-dropped"));
        var resent = await _adapter.PublishAsync(Request(content, account, "pub-dropped"));

        var record = Assert.Single(_server.State.Bluesky.Records);
        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Equal(ExistingPostState.Found, lookup.State);
        Assert.Equal($"{record.Uri}|{record.Cid}", lookup.ExternalId);
        Assert.Equal(PublishOutcomeKind.Published, resent.Kind);
        Assert.Equal(record.Uri, resent.ExternalId);
    }

    [Fact]
    public async Task FindExistingAsync_NothingWritten_NotFoundNamingTheRecordKey()
    {
        var (account, _) = NewAccount("notfound");

        var lookup = await _adapter.FindExistingAsync(Request(Post("Never sent."), account, "pub-notfound"));

        Assert.Equal(ExistingPostState.NotFound, lookup.State);
        Assert.Contains(BlueskyRecordKeys.For("pub-notfound", 1), lookup.Reason);
        Assert.Contains("can never make a second post", lookup.Reason);
    }

    [Fact]
    public async Task FindExistingAsync_ThreadAfterPartOne_LooksForPartTwo()
    {
        var (account, _) = NewAccount("findtwo");
        var content = Post(ThreePartText());
        var partIds = new List<string>();
        await Assert.ThrowsAsync<ProcessKilledException>(() => _adapter.PublishAsync(Request(content, account, "pub-findtwo") with
        {
            OnPartConfirmed = (id, _) =>
            {
                partIds.Add(id);
                return partIds.Count == 2 ? throw new ProcessKilledException() : Task.CompletedTask;
            },
        }));

        var lookup = await _adapter.FindExistingAsync(Request(content, account, "pub-findtwo") with { ConfirmedParts = [partIds[0]] });

        Assert.Equal(ExistingPostState.Found, lookup.State);
        Assert.Equal(partIds[1], lookup.ExternalId);
    }

    [Fact]
    public async Task PublishAsync_SeveralPosts_OneLoginOnly()
    {
        var (account, user) = NewAccount("reuse");

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(PublishOutcomeKind.Published, (await _adapter.PublishAsync(Request(Post($"Post {i}."), account, $"pub-reuse-{i}"))).Kind);
        }

        Assert.Equal(1, CreateSessions(user));
        Assert.Equal(4, _server.State.Bluesky.Records.Count);
    }

    [Fact]
    public async Task PublishAsync_AccessTokenExpired_RefreshesOnceAndKeepsTheNewPair()
    {
        var (account, user) = NewAccount("expiry");
        await _adapter.PublishAsync(Request(Post("Before expiry."), account, "pub-expiry-1"));
        var oldAccess = account.Credentials["access_jwt"];
        _clock.Advance(TimeSpan.FromMinutes(121));

        var outcome = await _adapter.PublishAsync(Request(Post("After expiry."), account, "pub-expiry-2"));

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(1, CreateSessions(user));
        Assert.Equal(
            ["createSession", "createRecord", "createRecord", "refreshSession", "createRecord"],
            Calls().Select(c => c.Path.Split('.')[^1]));
        Assert.Equal([200, 200, 400, 200, 200], Calls().Select(c => c.StatusCode));
        Assert.NotEqual(oldAccess, account.Credentials["access_jwt"]);
        var saved = _store.Saved[^1];
        Assert.Equal(account.Id, saved.AccountId);
        Assert.Equal(account.Credentials["access_jwt"], saved.Credentials["access_jwt"]);
        Assert.Equal(account.Credentials["refresh_jwt"], saved.Credentials["refresh_jwt"]);
        Assert.Equal(user.Did, saved.Credentials["did"]);
        Assert.Equal(2, _store.Saved.Count);
    }

    [Fact]
    public async Task PublishAsync_StoredSessionInAnotherProcess_NoLogin()
    {
        var (account, user) = NewAccount("stored");
        await _adapter.PublishAsync(Request(Post("First process."), account, "pub-stored-1"));
        var stored = new Account
        {
            Id = account.Id,
            Platform = "bluesky",
            DisplayName = account.DisplayName,
            BaseUrl = account.BaseUrl,
            Credentials = new AccountCredentials(_store.Saved[^1].Credentials),
        };
        await using var otherProcess = Services(new RecordingCredentialsStore());
        var adapter = otherProcess.GetRequiredService<PlatformRegistry>().Resolve("bluesky");

        var outcome = await adapter.PublishAsync(Request(Post("Second process."), stored, "pub-stored-2"));

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(1, CreateSessions(user));
        Assert.Equal(new Uri($"https://bsky.app/profile/{user.Handle}/post/{BlueskyRecordKeys.For("pub-stored-2", 1)}"), outcome.Url);
    }

    [Fact]
    public async Task PublishAsync_RefreshTokenExpiredToo_LogsInAgain()
    {
        var clock = new FakeTimeProvider(_clock.GetUtcNow());
        await using var server = await SandboxServer.StartAsync(new SandboxOptions
        {
            TimeProvider = clock,
            Bluesky = { AccessTokenLifetime = TimeSpan.FromHours(2), RefreshTokenLifetime = TimeSpan.FromHours(3) },
        });
        var user = server.State.Bluesky.AddAccount("late.bsky.social", "late-pass-word-0000");
        var account = Account(user, server.PlatformBaseUrl("bluesky"));
        await _adapter.PublishAsync(Request(Post("Early."), account, "pub-late-1"));
        clock.Advance(TimeSpan.FromHours(4));

        var outcome = await _adapter.PublishAsync(Request(Post("Late."), account, "pub-late-2"));

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(
            ["createSession", "createRecord", "createRecord", "refreshSession", "createSession", "createRecord"],
            server.Requests.For("bluesky").Select(c => c.Path.Split('.')[^1]));
    }

    [Fact]
    public async Task PublishAsync_WrongAppPassword_PermanentWithoutThePassword()
    {
        var (_, user) = NewAccount("wrong");
        var account = Account(user with { AppPassword = "wrong-pass-word-0000" }, _server.PlatformBaseUrl("bluesky"));

        var outcome = await _adapter.PublishAsync(Request(Post("Wrong."), account, "pub-wrong"));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(401, outcome.HttpStatus);
        Assert.Contains("BLUESKY_APP_PASSWORD", outcome.Error);
        Assert.DoesNotContain("wrong-pass-word-0000", outcome.Error);
        Assert.Empty(_server.State.Bluesky.Records);
    }

    [Fact]
    public async Task PublishAsync_ReplyRefThatNamesNoRecord_Permanent400()
    {
        var (account, user) = NewAccount("badref");
        var bogus = $"at://{user.Did}/{Collection}/3kabcdefghij2|bafyreinothere";

        var outcome = await _adapter.PublishAsync(Request(Post(ThreePartText()), account, "pub-badref") with { ConfirmedParts = [bogus] });

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(400, outcome.HttpStatus);
        Assert.Contains("InvalidRequest", outcome.Error);
        Assert.Empty(_server.State.Bluesky.Records);
    }

    [Fact]
    public async Task PublishAsync_WritePointsUsedUp_RateLimitedUntilTheReset()
    {
        _clock.Advance(TimeSpan.FromMinutes(40));
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = _clock, Bluesky = { WritePointsPerHour = 3 } });
        var user = server.State.Bluesky.AddAccount("busy.bsky.social", "busy-pass-word-0000");
        var account = Account(user, server.PlatformBaseUrl("bluesky"));
        await _adapter.PublishAsync(Request(Post("One."), account, "pub-rl-1"));

        var outcome = await _adapter.PublishAsync(Request(Post("Two."), account, "pub-rl-2"));

        Assert.Equal(PublishOutcomeKind.RateLimited, outcome.Kind);
        Assert.Equal(429, outcome.HttpStatus);
        Assert.Equal(TimeSpan.FromMinutes(20), outcome.RetryAfter);
        Assert.Contains("RateLimitExceeded", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_ServerErrorOnCreate_Transient()
    {
        var (account, _) = NewAccount("fault");
        await LogInAsync(account);

        var outcome = await WithFaults(new SandboxFaults { ServerErrorRate = 1 }, () => _adapter.PublishAsync(Request(Post("503."), account, "pub-503")));

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
        Assert.Equal(503, outcome.HttpStatus);
        Assert.Empty(_server.State.Bluesky.Records);
    }

    [Fact]
    public async Task Create_GatewayTimeoutAfterCommit_IsPublishedFromItsRecordKeyAndFoundByLookup()
    {
        var gateway = new GatewayTimeoutAfterCommit("POST", "com.atproto.repo.createRecord");
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<IAccountCredentialsStore>(_store);
        services.AddHerald().AddBluesky();
        gateway.AddTo(services, BlueskyAdapter.HttpClientName);
        await using var provider = services.BuildServiceProvider();
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("bluesky");
        var (account, _) = NewAccount("gateway");
        var content = Post("Sent once, answered with a gateway timeout.");

        var outcome = await adapter.PublishAsync(Request(content, account, "pub-gateway"));

        // Bluesky chose no key here: Herald did, so the record is read back at once instead of leaving it unknown.
        Assert.Equal(1, gateway.Replaced);
        var record = Assert.Single(_server.State.Bluesky.Records);
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(record.Uri, outcome.ExternalId);

        var lookup = await adapter.FindExistingAsync(Request(content, account, "pub-gateway") with { UncertainSince = _clock.GetUtcNow() });

        Assert.Equal(ExistingPostState.Found, lookup.State);
        Assert.StartsWith(record.Uri, lookup.ExternalId);
    }

    [Fact]
    public async Task PublishAsync_ServerErrorOnLogin_TransientBecauseNothingWasPosted()
    {
        var (account, _) = NewAccount("loginfault");

        var outcome = await WithFaults(new SandboxFaults { ServerErrorRate = 1 }, () => _adapter.PublishAsync(Request(Post("503."), account, "pub-login-503")));

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
        Assert.Equal(["createSession"], Calls().Select(c => c.Path.Split('.')[^1]));
    }

    [Fact]
    public async Task PublishAsync_ConnectionRefused_Transient()
    {
        var (_, user) = NewAccount("refused");
        var account = Account(user, new Uri($"http://127.0.0.1:{ClosedPort()}/bluesky"));

        var outcome = await _adapter.PublishAsync(Request(Post("Refused."), account, "pub-refused"));

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
        Assert.Contains("Could not reach Bluesky", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_NoAnswerWithinTimeout_Unknown()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        // Long enough for the login on a busy machine; only the create is held past it.
        services.AddHerald().AddBluesky(o => o.Timeout = TimeSpan.FromSeconds(15));
        await using var provider = services.BuildServiceProvider();
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("bluesky");
        var (account, _) = NewAccount("timeout");

        var outcome = await WithFaults(
            new SandboxFaults { Delay = TimeSpan.FromMinutes(5), PathContains = "createRecord" },
            () => adapter.PublishAsync(Request(Post("Slow."), account, "pub-timeout")));

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Contains("did not answer in time", outcome.Error);
    }

    [Fact]
    public void Validate_MissingCredentials_NamesBothFields()
    {
        var account = new Account { Platform = "bluesky", DisplayName = "incomplete" };

        var problems = _adapter.Validate(Post("Hello."), account);

        Assert.Equal(["identifier", "app_password"], problems.Select(p => p.Field));
        Assert.All(problems, p => Assert.Equal("bluesky", p.Platform));
    }

    [Fact]
    public void Validate_LinkLongerThanAPost_BodyCannotFit()
    {
        var (account, _) = NewAccount("toolong");
        var content = Post("https://example.com/" + new string('a', 400));

        var problem = Assert.Single(_adapter.Validate(content, account));

        Assert.Equal("body", problem.Field);
        Assert.Contains("300 graphemes", problem.Message);
    }

    [Fact]
    public void Render_ThreadBeforeAnySession_PlaceholdersForWhatSendingDecides()
    {
        var (account, _) = NewAccount("render");

        var parts = _adapter.Render(Post(ThreePartText()), account).Parts;

        using var second = JsonDocument.Parse(parts[1].Body!);
        Assert.Equal("{did}", second.RootElement.GetProperty("repo").GetString());
        Assert.Equal("{rkey of part 2}", second.RootElement.GetProperty("rkey").GetString());
        var reply = second.RootElement.GetProperty("record").GetProperty("reply");
        Assert.Equal("at://{did}/app.bsky.feed.post/{rkey of part 1}", reply.GetProperty("root").GetProperty("uri").GetString());
        Assert.Equal("{cid of part 1}", reply.GetProperty("parent").GetProperty("cid").GetString());
    }

    [Fact]
    public void Platform_AliasAndCapabilities_AsDocumented()
    {
        var registry = _services.GetRequiredService<PlatformRegistry>();

        Assert.Same(_adapter, registry.Resolve("bsky"));
        Assert.True(_adapter.Platform.Capabilities.SupportsThreads);
        Assert.Equal(new RateLimitDefault(1666, TimeSpan.FromHours(1)), _adapter.Platform.Capabilities.DefaultRateLimit);
    }

    private ServiceProvider Services(IAccountCredentialsStore store)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton(store);
        services.AddHerald().AddBluesky();
        return services.BuildServiceProvider();
    }

    /// <summary>Makes the adapter hold a session, so a fault injected next hits the create, not the login.</summary>
    private async Task LogInAsync(Account account)
    {
        var lookup = await _adapter.FindExistingAsync(Request(Post("Log in."), account, "log-in-" + Guid.NewGuid().ToString("N")));
        Assert.Equal(ExistingPostState.NotFound, lookup.State);
    }

    private async Task<PublishOutcome> WithFaults(SandboxFaults faults, Func<Task<PublishOutcome>> action)
    {
        _server.State.Faults = faults;
        try
        {
            return await action();
        }
        finally
        {
            _server.State.Faults = SandboxFaults.None;
        }
    }

    private List<RecordedRequest> Calls() => [.. _server.Requests.For("bluesky")];

    private int CreateSessions(BlueskyAccount user) =>
        Calls().Count(c => c.Path.EndsWith("createSession", StringComparison.Ordinal) && c.Body.Contains(user.Handle, StringComparison.Ordinal));

    private (Account Account, BlueskyAccount User) NewAccount(string name)
    {
        var user = _server.State.Bluesky.AddAccount($"{name}.bsky.social", $"{name}-pass-word-1234");
        return (Account(user, _server.PlatformBaseUrl("bluesky")), user);
    }

    private static Account Account(BlueskyAccount user, Uri baseUrl) => new()
    {
        Platform = "bluesky",
        DisplayName = user.Handle,
        Credentials = new AccountCredentials { ["identifier"] = user.Handle, ["app_password"] = user.AppPassword },
        BaseUrl = baseUrl,
    };

    /// <summary>About 750 characters in sentences: three posts of at most 300 graphemes.</summary>
    private static string ThreePartText() =>
        string.Join(' ', Enumerable.Range(1, 12).Select(i => $"Sentence {i} tells a bit more about Herald's threads."));

    private static int Encoding(string text) => System.Text.Encoding.UTF8.GetByteCount(text);

    private static Content Post(string text) => new() { Type = ContentType.Post, Body = text };

    private static PublishRequest Request(Content content, Account account, string key) => new(content, account, key);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class ProcessKilledException : Exception;

    /// <summary>Keeps what the adapter asked to store, as Herald.Storage would (without the database).</summary>
    private sealed class RecordingCredentialsStore : IAccountCredentialsStore
    {
        public List<(AccountId AccountId, AccountCredentials Credentials)> Saved { get; } = [];

        public Task SaveCredentialsAsync(AccountId accountId, AccountCredentials credentials, CancellationToken cancellationToken = default)
        {
            Saved.Add((accountId, new AccountCredentials(credentials)));
            return Task.CompletedTask;
        }
    }
}
