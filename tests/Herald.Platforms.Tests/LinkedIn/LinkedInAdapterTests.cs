using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms.LinkedIn;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Platforms.Tests.LinkedIn;

/// <summary>
/// The LinkedIn adapter, built by DI, against the sandbox over real HTTP. Each test posts as its own
/// sandbox member (own token, own author URN), so duplicate checks and daily quotas do not mix.
/// </summary>
public sealed class LinkedInAdapterTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly ServiceProvider _services;
    private readonly IPlatformAdapter _adapter;

    public LinkedInAdapterTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fixture.Clock);
        services.AddHerald().AddLinkedIn();
        _services = services.BuildServiceProvider();
        _adapter = _services.GetRequiredService<PlatformRegistry>().Resolve("linkedin");
    }

    private SandboxServer Server => _fixture.Server;

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task PublishAsync_ManualMode_ReturnsTheDraftAndSendsNothing()
    {
        var account = ManualAccount();
        var content = Article("Manual draft");
        var before = Server.Requests.For("linkedin").Count;

        var outcome = await _adapter.PublishAsync(Request(content, account));

        Assert.Equal(PublishOutcomeKind.ManualActionRequired, outcome.Kind);
        Assert.Equal(_adapter.Render(content, account).Body, outcome.Draft);
        Assert.StartsWith("🚀 Manual draft\n\n", outcome.Draft);
        Assert.Equal(before, Server.Requests.For("linkedin").Count);
    }

    [Fact]
    public async Task PublishAsync_ApiMode_SendsExactRequestAndReadsUrnFromHeader()
    {
        var (account, token, author) = NewApiAccount("exact");
        var content = Article("Exact LinkedIn request", tags: ["dotnet", "C#"]);

        var outcome = await _adapter.PublishAsync(Request(content, account));

        var sent = Assert.Single(Server.Requests.For("linkedin"), r => r.Header("Authorization") == $"Bearer {token}");
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/linkedin/rest/posts", sent.Path);
        Assert.Equal("202601", sent.Header("LinkedIn-Version"));
        Assert.Equal("2.0.0", sent.Header("X-Restli-Protocol-Version"));
        Assert.StartsWith("application/json", sent.Header("Content-Type"));
        Assert.Equal(_adapter.Render(content, account).Body, sent.Body);

        using var json = JsonDocument.Parse(sent.Body);
        var root = json.RootElement;
        Assert.Equal(author, root.GetProperty("author").GetString());
        Assert.Equal("PUBLIC", root.GetProperty("visibility").GetString());
        Assert.Equal("PUBLISHED", root.GetProperty("lifecycleState").GetString());
        Assert.Equal("MAIN_FEED", root.GetProperty("distribution").GetProperty("feedDistribution").GetString());
        Assert.False(root.GetProperty("isReshareDisabledByAuthor").GetBoolean());
        Assert.EndsWith("{hashtag|\\#|dotnet} {hashtag|\\#|c}", root.GetProperty("commentary").GetString());

        var post = Assert.Single(Server.State.LinkedIn.Posts, p => p.Author == author);
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(201, outcome.HttpStatus);
        Assert.Equal(post.Urn, outcome.ExternalId);
        Assert.Matches(@"^urn:li:share:\d{19}$", outcome.ExternalId);
        Assert.Equal(new Uri($"https://www.linkedin.com/feed/update/{post.Urn}/"), outcome.Url);
    }

    [Fact]
    public async Task PublishAsync_ApiModeWithReservedCharacters_EscapesThemSoTheTextArrivesWhole()
    {
        var (account, _, author) = NewApiAccount("escape");
        var content = new Content
        {
            Type = ContentType.Post,
            Body = "Three steps: 1) read (carefully), 2) ask @team about snake_case #ideas, 3) ship *it* ~ {now} a < b > c [done] a|b \\ end.",
        };

        var outcome = await _adapter.PublishAsync(Request(content, account));

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        var post = Assert.Single(Server.State.LinkedIn.Posts, p => p.Author == author);
        Assert.False(post.Truncated);
        Assert.Equal(
            "Three steps: 1) read (carefully), 2) ask @team about snake_case #ideas, 3) ship it ~ {now} a < b > c [done] a|b \\ end.",
            post.ShownText);
        Assert.Contains("1\\) read \\(carefully\\)", post.Commentary);
        Assert.Contains("\\@team", post.Commentary);
        Assert.Contains("snake\\_case \\#ideas", post.Commentary);
    }

    [Fact]
    public async Task PublishAsync_SameTextTwice_SecondIsPublishedAsTheFirstPostFromDuplicateAnswer()
    {
        var (account, _, author) = NewApiAccount("duplicate");
        var content = Article("Duplicate LinkedIn post");
        var first = await _adapter.PublishAsync(Request(content, account));

        var second = await _adapter.PublishAsync(Request(content, account));

        Assert.Equal(PublishOutcomeKind.Published, second.Kind);
        Assert.Equal(422, second.HttpStatus);
        Assert.Equal(first.ExternalId, second.ExternalId);
        Assert.Equal(first.Url, second.Url);
        Assert.Single(Server.State.LinkedIn.Posts, p => p.Author == author);
    }

    [Fact]
    public async Task PublishAsync_RetiredVersion_PermanentAskingToUpdateTheSetting()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_fixture.Clock);
        services.AddHerald().AddLinkedIn(o => o.Version = "202401");
        using var provider = services.BuildServiceProvider();
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("linkedin");
        var (account, _, author) = NewApiAccount("retired");

        var outcome = await adapter.PublishAsync(Request(Article("Retired version post"), account));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(426, outcome.HttpStatus);
        Assert.Contains("Herald:LinkedIn:Version", outcome.Error);
        Assert.Contains("202401", outcome.Error);
        Assert.DoesNotContain(Server.State.LinkedIn.Posts, p => p.Author == author);
    }

    [Fact]
    public async Task PublishAsync_WrongToken_PermanentWithoutTheToken()
    {
        var account = ApiAccount("not-a-linkedin-token", "urn:li:person:nobody");

        var outcome = await _adapter.PublishAsync(Request(Article("Wrong token post"), account));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(401, outcome.HttpStatus);
        Assert.Contains("LINKEDIN_ACCESS_TOKEN", outcome.Error);
        Assert.DoesNotContain("not-a-linkedin-token", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_AuthorIsNotTheTokensMember_PermanentNamingThePermission()
    {
        var (_, token, _) = NewApiAccount("author");
        var account = ApiAccount(token, "urn:li:organization:999");

        var outcome = await _adapter.PublishAsync(Request(Article("Someone else's page"), account));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(403, outcome.HttpStatus);
        Assert.Contains("w_member_social", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_DailyQuotaUsedUp_RateLimitedUntilMidnightUtc()
    {
        var (account, _, _) = NewApiAccount("quota");
        var quota = Server.State.Options.LinkedIn.PostsPerDay;
        for (var i = 0; i < quota; i++)
        {
            Assert.Equal(PublishOutcomeKind.Published, (await _adapter.PublishAsync(Request(Post($"Quota post {i}"), account))).Kind);
        }

        var outcome = await _adapter.PublishAsync(Request(Post("One post too many"), account));

        Assert.Equal(PublishOutcomeKind.RateLimited, outcome.Kind);
        Assert.Equal(429, outcome.HttpStatus);
        var now = _fixture.Clock.GetUtcNow();
        Assert.Equal(new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero) - now, outcome.RetryAfter);
    }

    [Fact]
    public async Task PublishAsync_ServerError_UnknownBecauseThePostMayExist()
    {
        var (account, _, author) = NewApiAccount("fault");
        Server.State.Faults = new SandboxFaults { ServerErrorRate = 1 };
        PublishOutcome outcome;
        try
        {
            outcome = await _adapter.PublishAsync(Request(Article("Server error post"), account));
        }
        finally
        {
            Server.State.Faults = SandboxFaults.None;
        }

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Equal(503, outcome.HttpStatus);
        Assert.DoesNotContain(Server.State.LinkedIn.Posts, p => p.Author == author);
    }

    [Fact]
    public async Task Create_GatewayTimeoutAfterCommit_IsUnknownAndTheResendNamesTheSamePost()
    {
        var gateway = new GatewayTimeoutAfterCommit("POST", "/rest/posts");
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_fixture.Clock);
        services.AddHerald().AddLinkedIn();
        gateway.AddTo(services, LinkedInAdapter.HttpClientName);
        using var provider = services.BuildServiceProvider();
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("linkedin");
        var (account, _, author) = NewApiAccount("gateway");
        var content = Post("Posted once behind a slow gateway.");

        var outcome = await adapter.PublishAsync(Request(content, account));

        Assert.Equal(1, gateway.Replaced);
        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Equal(504, outcome.HttpStatus);
        Assert.Equal(ExistingPostState.NotFound, (await adapter.FindExistingAsync(Request(content, account))).State);

        var resent = await adapter.PublishAsync(Request(content, account));

        Assert.Equal(PublishOutcomeKind.Published, resent.Kind);
        Assert.Equal(resent.ExternalId, Assert.Single(Server.State.LinkedIn.Posts, p => p.Author == author).Urn);
    }

    [Fact]
    public async Task PublishAsync_ConnectionRefused_Transient()
    {
        var account = ApiAccount("any", "urn:li:person:any", new Uri($"http://127.0.0.1:{ClosedPort()}/linkedin"));

        var outcome = await _adapter.PublishAsync(Request(Article("Refused post"), account));

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
        Assert.Contains("Could not reach LinkedIn", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_DroppedAfterAccept_UnknownThenResendFindsTheSamePost()
    {
        var (account, _, author) = NewApiAccount("dropped");
        var content = Article("Dropped LinkedIn answer");
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
        var lookup = await _adapter.FindExistingAsync(Request(content, account));
        Assert.Equal(ExistingPostState.NotFound, lookup.State);
        Assert.Contains("resending is safe", lookup.Reason);

        var resent = await _adapter.PublishAsync(Request(content, account));

        var post = Assert.Single(Server.State.LinkedIn.Posts, p => p.Author == author);
        Assert.Equal(PublishOutcomeKind.Published, resent.Kind);
        Assert.Equal(post.Urn, resent.ExternalId);
    }

    [Fact]
    public void Validate_ApiModeWithoutTokenOrAuthor_NamesBothFields()
    {
        var account = new Account
        {
            Platform = "linkedin",
            DisplayName = "incomplete",
            Settings = new Dictionary<string, string> { ["mode"] = "api" },
        };

        var problems = _adapter.Validate(Article("Incomplete account"), account);

        Assert.Equal(["access_token", "author_urn"], problems.Select(p => p.Field));
        Assert.All(problems, p => Assert.Equal("linkedin", p.Platform));
    }

    [Fact]
    public void Validate_UnknownModeOrBadAuthor_ClearProblems()
    {
        var badMode = new Account { Platform = "linkedin", DisplayName = "m", Settings = new Dictionary<string, string> { ["mode"] = "robot" } };
        var badAuthor = ApiAccount("token", "person:42");

        Assert.Equal("mode", Assert.Single(_adapter.Validate(Article("Mode"), badMode)).Field);
        var problem = Assert.Single(_adapter.Validate(Article("Author"), badAuthor));
        Assert.Equal("author_urn", problem.Field);
        Assert.Contains("urn:li:person:", problem.Message);
    }

    [Fact]
    public void Validate_ManualModeNeedsNoCredentials()
    {
        Assert.Empty(_adapter.Validate(Article("Manual needs nothing"), ManualAccount()));
    }

    private (Account Account, string Token, string Author) NewApiAccount(string name)
    {
        var token = $"token-{name}-{Guid.NewGuid():N}";
        var author = $"urn:li:person:{name}{Guid.NewGuid():N}";
        Server.State.LinkedIn.AddMember(token, author);
        return (ApiAccount(token, author), token, author);
    }

    private Account ApiAccount(string token, string author, Uri? baseUrl = null) => new()
    {
        Platform = "linkedin",
        DisplayName = "LinkedIn test",
        Credentials = new AccountCredentials { ["access_token"] = token },
        BaseUrl = baseUrl ?? Server.PlatformBaseUrl("linkedin"),
        Settings = new Dictionary<string, string> { ["mode"] = "api", ["author_urn"] = author },
    };

    private static Account ManualAccount() => new() { Platform = "linkedin", DisplayName = "manual" };

    private static Content Article(string title, IReadOnlyList<string>? tags = null) => new()
    {
        Title = title,
        Body = $"Body of {title}. It has two sentences.",
        Tags = tags ?? [],
        CanonicalUrl = new Uri("https://blog.example.com/posts/" + Guid.NewGuid().ToString("N")),
    };

    private static Content Post(string text) => new() { Type = ContentType.Post, Body = text };

    private static PublishRequest Request(Content content, Account account) => new(content, account, "herald-test");

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
