using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms.DevTo;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Platforms.Tests.DevTo;

/// <summary>
/// The Dev.to adapter, built by DI, against the sandbox over real HTTP. Tests share one sandbox: each one
/// uses its own sandbox user (own API key, own rate-limit window) and its own titles and canonical URLs.
/// </summary>
public sealed class DevToAdapterTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly ServiceProvider _services;
    private readonly IPlatformAdapter _adapter;

    public DevToAdapterTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fixture.Clock);
        services.AddHerald().AddDevTo();
        _services = services.BuildServiceProvider();
        _adapter = _services.GetRequiredService<PlatformRegistry>().Resolve("devto");
    }

    private SandboxServer Server => _fixture.Server;

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task PublishAsync_ValidArticle_SendsExactRequestWithHeadersNormalisedTagsAndAbsoluteLinks()
    {
        var (account, key) = NewAccount("exact", settings: new() { ["footer"] = "*Written by Ada.*" });
        var content = new Content
        {
            Title = "Exact request article",
            Body = "# Heading\n\nRead [the guide](../guide) and see ![diagram](img/d.png).\n\nMore text.",
            Tags = ["C#", "dotnet", "Dot-Net", "web", "extra", "sixth"],
            CanonicalUrl = new Uri("https://blog.example.com/posts/exact"),
            CoverImage = new Uri("https://blog.example.com/cover.png"),
            Series = "Herald tests",
        };

        var outcome = await _adapter.PublishAsync(Request(content, account));

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        var sent = Assert.Single(Server.Requests.For("devto"), r => r.Header("api-key") == key);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/devto/api/articles", sent.Path);
        Assert.Contains("application/vnd.forem.api-v1+json", sent.Header("Accept"));
        Assert.StartsWith("application/json", sent.Header("Content-Type"));
        Assert.Equal(_adapter.Render(content, account).Body, sent.Body);

        using var json = JsonDocument.Parse(sent.Body);
        var article = json.RootElement.GetProperty("article");
        Assert.Equal("Exact request article", article.GetProperty("title").GetString());
        Assert.True(article.GetProperty("published").GetBoolean());
        Assert.Equal(["c", "dotnet", "web", "extra"], article.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("Read the guide and see diagram.", article.GetProperty("description").GetString());
        Assert.Equal("https://blog.example.com/posts/exact", article.GetProperty("canonical_url").GetString());
        Assert.Equal("https://blog.example.com/cover.png", article.GetProperty("main_image").GetString());
        Assert.Equal("Herald tests", article.GetProperty("series").GetString());
        Assert.Equal(
            "# Heading\n\nRead [the guide](https://blog.example.com/guide) and see ![diagram](https://blog.example.com/posts/img/d.png).\n\nMore text.\n\n---\n\n*Written by Ada.*\n",
            article.GetProperty("body_markdown").GetString());
    }

    [Fact]
    public async Task PublishAsync_StoredPayload_SendsItAsStoredInsteadOfBuildingTheArticleAgain()
    {
        // The runner stores the rendered payload just before the send; the stored text is the text that goes out.
        var (account, key) = NewAccount("stored-payload");
        var content = Article("Stored payload article");
        var stored = _adapter.Render(content, account).Body.Replace("Stored payload article", "Stored payload article, as stored", StringComparison.Ordinal);

        var outcome = await _adapter.PublishAsync(Request(content, account) with { StoredPayload = stored });

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(stored, Assert.Single(Server.Requests.For("devto"), r => r.Header("api-key") == key).Body);
        Assert.Single(Server.State.DevTo.Articles, a => a.Title == "Stored payload article, as stored");
    }

    [Fact]
    public async Task PublishAsync_Created_ReturnsIdAndUrlFromTheAnswer()
    {
        var (account, _) = NewAccount("created");

        var outcome = await _adapter.PublishAsync(Request(Article("Created answer article"), account));

        var stored = Assert.Single(Server.State.DevTo.Articles, a => a.Title == "Created answer article");
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(201, outcome.HttpStatus);
        Assert.Equal(stored.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), outcome.ExternalId);
        Assert.Equal(new Uri(Server.BaseAddress, "devto" + stored.Path), outcome.Url);
        Assert.True(stored.Published);
    }

    [Fact]
    public async Task PublishAsync_DraftSetting_CreatesUnpublishedArticle()
    {
        var (account, _) = NewAccount("draft", settings: new() { ["published"] = "false" });

        var outcome = await _adapter.PublishAsync(Request(Article("Draft setting article"), account));

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.False(Assert.Single(Server.State.DevTo.Articles, a => a.Title == "Draft setting article").Published);
    }

    [Fact]
    public async Task PublishAsync_WrongApiKey_PermanentNamingTheKeyWithoutItsValue()
    {
        var account = DevToAccount("definitely-not-a-key");

        var outcome = await _adapter.PublishAsync(Request(Article("Wrong key article"), account));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(401, outcome.HttpStatus);
        Assert.Contains("API key", outcome.Error);
        Assert.Contains("DEVTO_API_KEY", outcome.Error);
        Assert.DoesNotContain("definitely-not-a-key", outcome.Error);
        Assert.DoesNotContain(Server.State.DevTo.Articles, a => a.Title == "Wrong key article");
    }

    [Fact]
    public async Task PublishAsync_SameTitleAndBodyTwice_PermanentWithForemMessage()
    {
        var (account, _) = NewAccount("duplicate");
        var content = Article("Duplicate body article");
        Assert.Equal(PublishOutcomeKind.Published, (await _adapter.PublishAsync(Request(content, account))).Kind);

        var second = await _adapter.PublishAsync(Request(content, account));

        Assert.Equal(PublishOutcomeKind.Permanent, second.Kind);
        Assert.Equal(422, second.HttpStatus);
        Assert.Contains("Body markdown has already been taken", second.Error);
    }

    [Fact]
    public async Task PublishAsync_CanonicalUrlPublishedByAnotherUser_PermanentWithForemMessage()
    {
        var canonical = new Uri("https://blog.example.com/posts/taken-canonical");
        var (first, _) = NewAccount("canonical1");
        var (second, _) = NewAccount("canonical2");
        Assert.Equal(PublishOutcomeKind.Published, (await _adapter.PublishAsync(Request(Article("Canonical one", canonical), first))).Kind);

        var outcome = await _adapter.PublishAsync(Request(Article("Canonical two", canonical), second));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(422, outcome.HttpStatus);
        Assert.Contains("Canonical url has already been taken", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_TenthPublishedArticleInWindow_RateLimitedWithRetryAfterThenAcceptedWhenWindowPasses()
    {
        var (account, _) = NewAccount("ratelimit");
        for (var i = 1; i <= 9; i++)
        {
            var ok = await _adapter.PublishAsync(Request(Article($"Rate limit article {i}"), account));
            Assert.Equal(PublishOutcomeKind.Published, ok.Kind);
        }

        var limited = await _adapter.PublishAsync(Request(Article("Rate limit article 10"), account));

        Assert.Equal(PublishOutcomeKind.RateLimited, limited.Kind);
        Assert.Equal(429, limited.HttpStatus);
        Assert.Equal(TimeSpan.FromSeconds(30), limited.RetryAfter);
        Assert.Contains("Rate limit reached", limited.Error);

        _fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        var later = await _adapter.PublishAsync(Request(Article("Rate limit article 10"), account));
        Assert.Equal(PublishOutcomeKind.Published, later.Kind);
    }

    [Fact]
    public async Task PublishAsync_ServerError_UnknownBecauseThePostMayExist()
    {
        var (account, _) = NewAccount("servererror");
        Server.State.Faults = new SandboxFaults { ServerErrorRate = 1 };
        PublishOutcome outcome;
        try
        {
            outcome = await _adapter.PublishAsync(Request(Article("Server error article"), account));
        }
        finally
        {
            Server.State.Faults = SandboxFaults.None;
        }

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Equal(503, outcome.HttpStatus);
        Assert.DoesNotContain(Server.State.DevTo.Articles, a => a.Title == "Server error article");
    }

    [Fact]
    public async Task Create_GatewayTimeoutAfterCommit_IsUnknownAndFoundByLookup()
    {
        var gateway = new GatewayTimeoutAfterCommit("POST", "/api/articles");
        using var provider = Build(gateway);
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("devto");
        var (account, _) = NewAccount("gateway");
        var content = Article("Gateway timeout article");
        var sentAt = _fixture.Clock.GetUtcNow();

        var outcome = await adapter.PublishAsync(Request(content, account));

        Assert.Equal(1, gateway.Replaced);
        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Equal(504, outcome.HttpStatus);
        var stored = Assert.Single(Server.State.DevTo.Articles, a => a.Title == "Gateway timeout article");

        var lookup = await adapter.FindExistingAsync(Request(content, account) with { UncertainSince = sentAt });

        Assert.Equal(ExistingPostState.Found, lookup.State);
        Assert.Equal(stored.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), lookup.ExternalId);
    }

    [Fact]
    public async Task Create_RepeatOfAnArticleThatExists_RefusedAsDuplicateWithoutInvitingARepost()
    {
        var (account, _) = NewAccount("dupflag");
        var content = Article("Duplicate flag article");
        Assert.Equal(PublishOutcomeKind.Published, (await _adapter.PublishAsync(Request(content, account))).Kind);

        var again = await _adapter.PublishAsync(Request(content, account));

        Assert.Equal(PublishOutcomeKind.Permanent, again.Kind);
        Assert.True(again.RefusedAsDuplicate);
        Assert.Contains("already been taken", again.Error);
        Assert.DoesNotContain("post it again", again.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Single(Server.State.DevTo.Articles, a => a.Title == "Duplicate flag article");
    }

    [Fact]
    public async Task PublishAsync_ConnectionRefused_Transient()
    {
        var account = DevToAccount(SandboxAccounts.DevToKey, new Uri($"http://127.0.0.1:{ClosedPort()}/devto/api"));

        var outcome = await _adapter.PublishAsync(Request(Article("Refused article"), account));

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
        Assert.Null(outcome.HttpStatus);
        Assert.Contains("Could not reach Dev.to", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_ConnectionDroppedAfterAccept_UnknownAndFindExistingFindsItByCanonicalUrl()
    {
        var (account, _) = NewAccount("dropped");
        var content = Article("Dropped answer article", new Uri("https://blog.example.com/posts/dropped"));
        Server.State.Faults = new SandboxFaults { DropAfterAcceptRate = 1 };
        PublishOutcome outcome;
        try
        {
            outcome = await _adapter.PublishAsync(Request(content, account));
        }
        finally
        {
            Server.State.Faults = SandboxFaults.None;
        }

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        var stored = Assert.Single(Server.State.DevTo.Articles, a => a.CanonicalUrl == "https://blog.example.com/posts/dropped");

        var lookup = await _adapter.FindExistingAsync(Request(content, account));

        Assert.Equal(ExistingPostState.Found, lookup.State);
        Assert.Equal(stored.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), lookup.ExternalId);
        Assert.Equal(new Uri(Server.BaseAddress, "devto" + stored.Path), lookup.Url);
        var list = Assert.Single(Server.Requests.For("devto"), r => r.Method == "GET" && r.Header("api-key") == account.Credentials["api_key"]);
        Assert.Equal("/devto/api/articles/me/all", list.Path);
        Assert.Equal("?per_page=100&page=1", list.QueryString);
        Assert.Contains("application/vnd.forem.api-v1+json", list.Header("Accept"));
    }

    [Fact]
    public async Task PublishAsync_NoAnswerWithinTimeout_Unknown()
    {
        // The sandbox waits on its fake clock, which nobody advances: only the adapter's timeout ends the call.
        var services = new ServiceCollection();
        services.AddHerald().AddDevTo(o => o.Timeout = TimeSpan.FromSeconds(2));
        using var provider = services.BuildServiceProvider();
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("devto");
        var (account, _) = NewAccount("timeout");
        Server.State.Faults = new SandboxFaults { Delay = TimeSpan.FromMinutes(5) };
        PublishOutcome outcome;
        try
        {
            outcome = await adapter.PublishAsync(Request(Article("Timeout article"), account));
        }
        finally
        {
            Server.State.Faults = SandboxFaults.None;
        }

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Contains("did not answer in time", outcome.Error);
    }

    [Fact]
    public async Task FindExistingAsync_NoCanonicalUrl_MatchesDraftByExactTitle()
    {
        var (account, _) = NewAccount("bytitle", settings: new() { ["published"] = "false" });
        var content = Article("Find me by title");
        await _adapter.PublishAsync(Request(Article("Another title entirely"), account));
        var published = await _adapter.PublishAsync(Request(content, account));

        var lookup = await _adapter.FindExistingAsync(Request(content, account));

        Assert.Equal(ExistingPostState.Found, lookup.State);
        Assert.Equal(published.ExternalId, lookup.ExternalId);
    }

    [Fact]
    public async Task FindExistingAsync_NoCanonicalUrlAndAnOlderArticleWithTheSameTitle_NotFound()
    {
        var (account, _) = NewAccount("weekly");
        var lastWeek = new Content { Title = "Weekly notes", Body = "What happened last week." };
        Assert.Equal(PublishOutcomeKind.Published, (await _adapter.PublishAsync(Request(lastWeek, account))).Kind);
        _fixture.Clock.Advance(TimeSpan.FromDays(7));
        var thisWeek = new Content { Title = "Weekly notes", Body = "What happened this week." };

        var lookup = await _adapter.FindExistingAsync(Request(thisWeek, account) with { UncertainSince = _fixture.Clock.GetUtcNow() });

        Assert.Equal(ExistingPostState.NotFound, lookup.State);
    }

    [Fact]
    public async Task FindExistingAsync_PagesBackOnlyToTheUncertainSend()
    {
        var (account, key) = NewAccount("paging");
        for (var i = 0; i < 120; i++)
        {
            if (i % 9 == 0)
            {
                _fixture.Clock.Advance(TimeSpan.FromSeconds(30)); // Forem's create window
            }

            Assert.Equal(PublishOutcomeKind.Published, (await _adapter.PublishAsync(Request(Article($"Older article {i}"), account))).Kind);
        }

        _fixture.Clock.Advance(TimeSpan.FromDays(1));
        var sentAt = _fixture.Clock.GetUtcNow();
        var content = Article("Paging target");
        await _adapter.PublishAsync(Request(content, account));

        var lookup = await _adapter.FindExistingAsync(Request(Article("Never sent"), account) with { UncertainSince = sentAt });

        Assert.Equal(ExistingPostState.NotFound, lookup.State);
        var lists = Server.Requests.For("devto").Where(r => r.Method == "GET" && r.Header("api-key") == key).ToList();
        var list = Assert.Single(lists);
        Assert.Equal("?per_page=100&page=1", list.QueryString);
    }

    [Fact]
    public async Task FindExistingAsync_NothingMatches_NotFound()
    {
        var (account, _) = NewAccount("notfound");
        await _adapter.PublishAsync(Request(Article("Some other article", new Uri("https://blog.example.com/posts/other")), account));

        var lookup = await _adapter.FindExistingAsync(
            Request(Article("Some other article", new Uri("https://blog.example.com/posts/never-sent")), account));

        Assert.Equal(ExistingPostState.NotFound, lookup.State);
    }

    [Fact]
    public async Task FindExistingAsync_WrongApiKey_IsUnavailableSoItIsAskedAgainLaterWithReason()
    {
        var lookup = await _adapter.FindExistingAsync(Request(Article("Whatever"), DevToAccount("not-a-key")));

        Assert.Equal(ExistingPostState.Unavailable, lookup.State);
        Assert.Contains("401", lookup.Reason);
        Assert.DoesNotContain("not-a-key", lookup.Reason);
    }

    [Fact]
    public async Task FindExistingAsync_ConnectionRefused_IsUnavailableSoItIsAskedAgainLater()
    {
        var account = DevToAccount(SandboxAccounts.DevToKey, new Uri($"http://127.0.0.1:{ClosedPort()}/devto/api"));

        var lookup = await _adapter.FindExistingAsync(Request(Article("Whatever"), account));

        Assert.Equal(ExistingPostState.Unavailable, lookup.State);
        Assert.Contains("Could not list", lookup.Reason);
    }

    [Fact]
    public void Validate_TitleOf200Characters_ReportsTitleProblemWithCounts()
    {
        var problems = _adapter.Validate(Article(new string('a', 200)), DevToAccount(SandboxAccounts.DevToKey));

        var problem = Assert.Single(problems);
        Assert.Equal("title", problem.Field);
        Assert.Equal("devto", problem.Platform);
        Assert.Equal("must be at most 128 characters for Dev.to (it has 200)", problem.Message);
    }

    [Fact]
    public void Validate_TitleOf128AstralCharacters_IsAccepted()
    {
        // Forem (Ruby) counts characters, not UTF-16 code units: 128 emoji are 256 chars in .NET.
        var title = string.Concat(Enumerable.Repeat("😀", 128));

        Assert.Empty(_adapter.Validate(Article(title), DevToAccount(SandboxAccounts.DevToKey)));
    }

    [Fact]
    public void Validate_BlankTitleMissingKeyBadUrlsAndLongTag_ReportsEveryProblem()
    {
        var content = new Content
        {
            Title = "  ",
            Body = "Body.",
            Tags = ["ok", "this-tag-is-far-too-long-for-forem-to-keep"],
            CanonicalUrl = new Uri("ftp://files.example.com/a"),
            CoverImage = new Uri("file:///tmp/cover.png"),
        };
        var account = new Account { Platform = "devto", DisplayName = "no key" };

        var fields = _adapter.Validate(content, account).Select(p => p.Field).Order().ToList();

        Assert.Equal(["api_key", "canonical_url", "cover_image", "tags[1]", "title"], fields);
    }

    [Fact]
    public void Validate_BodyOver800Kilobytes_ReportsBodyProblem()
    {
        var content = Article("Huge body article");
        var huge = new Content { Title = "Huge body", Body = new string('é', 410_000) };

        var problem = Assert.Single(_adapter.Validate(huge, DevToAccount(SandboxAccounts.DevToKey)));

        Assert.Equal("body", problem.Field);
        Assert.Contains("820,000", problem.Message);
        Assert.Empty(_adapter.Validate(content, DevToAccount(SandboxAccounts.DevToKey)));
    }

    [Fact]
    public void Validate_PublishedSettingNotABoolean_ReportsSettingProblem()
    {
        var account = DevToAccount(SandboxAccounts.DevToKey, settings: new() { ["published"] = "sometimes" });

        var problem = Assert.Single(_adapter.Validate(Article("Setting article"), account));

        Assert.Equal("published", problem.Field);
    }

    [Fact]
    public void Render_NoDescriptionAndNoOptionalFields_UsesFirstParagraphAndOmitsNulls()
    {
        var content = new Content { Title = "Plain title", Body = "# Plain title\n\nFirst **real** paragraph.\n\nSecond." };

        var payload = _adapter.Render(content, DevToAccount(SandboxAccounts.DevToKey));

        Assert.Equal("application/json", payload.MediaType);
        Assert.Equal("POST /api/articles", payload.Endpoint);
        Assert.Equal(
            """{"article":{"title":"Plain title","body_markdown":"# Plain title\n\nFirst **real** paragraph.\n\nSecond.","published":true,"description":"First real paragraph."}}""",
            payload.Body);
    }

    [Fact]
    public void Render_DevToOverrides_ReplaceTitleSeriesDescriptionAndTags()
    {
        var content = new Content
        {
            Title = "General title",
            Body = "Body.",
            Description = "General description",
            Series = "General series",
            Tags = ["general"],
            Overrides = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["devto"] = new Dictionary<string, string>
                {
                    ["title"] = "Dev.to title",
                    ["series"] = "Dev.to series",
                    ["description"] = "Dev.to description",
                    ["tags"] = "Node.js, Türkçe",
                },
            },
        };

        using var json = JsonDocument.Parse(_adapter.Render(content, DevToAccount(SandboxAccounts.DevToKey)).Body);
        var article = json.RootElement.GetProperty("article");

        Assert.Equal("Dev.to title", article.GetProperty("title").GetString());
        Assert.Equal("Dev.to series", article.GetProperty("series").GetString());
        Assert.Equal("Dev.to description", article.GetProperty("description").GetString());
        Assert.Equal(["nodejs", "turkce"], article.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public void Render_DraftSettingAndNonAsciiTitle_PublishedFalseAndReadableJson()
    {
        var account = DevToAccount(SandboxAccounts.DevToKey, settings: new() { ["published"] = "false" });

        var body = _adapter.Render(Article("Café — ünïcode"), account).Body;

        Assert.Contains("\"published\":false", body);
        Assert.Contains("\"title\":\"Café — ünïcode\"", body);
    }

    [Fact]
    public void AddDevTo_Registered_DescribesDevToUnderEveryAlias()
    {
        var registry = _services.GetRequiredService<PlatformRegistry>();

        Assert.Same(_adapter, registry.Resolve("dev.to"));
        Assert.Same(_adapter, registry.Resolve("DEV_TO"));
        Assert.Same(_adapter, registry.Resolve("forem"));
        var platform = _adapter.Platform;
        Assert.Equal("Dev.to", platform.DisplayName);
        Assert.Equal(new Uri("https://dev.to/api"), platform.DefaultBaseUrl);
        Assert.False(platform.Capabilities.SupportsThreads);
        Assert.Equal(new RateLimitDefault(9, TimeSpan.FromSeconds(30)), platform.Capabilities.DefaultRateLimit);
    }

    [Fact]
    public void AddDevTo_CalledTwice_RegistersOneAdapter()
    {
        var services = new ServiceCollection();
        services.AddHerald().AddDevTo().AddDevTo(o => o.Timeout = TimeSpan.FromSeconds(5));
        using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetServices<IPlatformAdapter>());
    }

    [Fact]
    public void AddDevTo_InvalidOptions_ReportsEveryProblemWhenResolved()
    {
        var services = new ServiceCollection();
        services.AddHerald().AddDevTo(o =>
        {
            o.DefaultBaseUrl = new Uri("ftp://dev.to/api");
            o.Timeout = TimeSpan.Zero;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => provider.GetRequiredService<PlatformRegistry>());

        Assert.Contains("DefaultBaseUrl", error.Message);
        Assert.Contains("Timeout", error.Message);
    }

    private ServiceProvider Build(GatewayTimeoutAfterCommit gateway)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_fixture.Clock);
        services.AddHerald().AddDevTo();
        gateway.AddTo(services, DevToAdapter.HttpClientName);
        return services.BuildServiceProvider();
    }

    private (Account Account, string Key) NewAccount(string name, Dictionary<string, string>? settings = null)
    {
        var key = $"key-{name}-{Guid.NewGuid():N}";
        Server.State.DevTo.AddUser(key, $"user_{name}");
        return (DevToAccount(key, settings: settings), key);
    }

    private Account DevToAccount(string key, Uri? baseUrl = null, Dictionary<string, string>? settings = null) => new()
    {
        Platform = "devto",
        DisplayName = "Dev.to test",
        Credentials = new AccountCredentials { ["api_key"] = key },
        BaseUrl = baseUrl ?? Server.PlatformBaseUrl("devto"),
        Settings = new Dictionary<string, string>(settings ?? [], StringComparer.OrdinalIgnoreCase),
    };

    private static Content Article(string title, Uri? canonical = null) => new()
    {
        Title = title,
        Body = $"The body of {title}.\n\nA second paragraph.",
        Tags = ["dotnet", "testing"],
        CanonicalUrl = canonical,
    };

    private static PublishRequest Request(Content content, Account account) =>
        new(content, account, $"herald-{content.Id.Value:N}");

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
