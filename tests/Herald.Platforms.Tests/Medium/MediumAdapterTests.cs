using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Sandbox.Medium;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Platforms.Tests.Medium;

/// <summary>The Medium adapter, built by DI, against the sandbox over real HTTP; each test as its own sandbox user.</summary>
public sealed class MediumAdapterTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly ServiceProvider _services;
    private readonly IPlatformAdapter _adapter;

    public MediumAdapterTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _services = Build(fixture.Clock);
        _adapter = _services.GetRequiredService<PlatformRegistry>().Resolve("medium");
    }

    private SandboxServer Server => _fixture.Server;

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task PublishAsync_Article_SendsExactRequestsAndReadsIdAndUrl()
    {
        var (account, user) = NewAccount("exact");
        var content = Article("Exact Medium request", tags: ["a-tag-that-is-far-too-long-for-medium", "dotnet", "DotNet", "csharp", "web", "extra"]);

        var outcome = await _adapter.PublishAsync(Request(content, account));

        var sent = Requests(user);
        Assert.Equal(["GET /medium/v1/me", $"POST /medium/v1/users/{user.Id}/posts"], sent.Select(r => $"{r.Method} {r.Path}"));
        Assert.All(sent, r =>
        {
            Assert.Equal("application/json", r.Header("Accept"));
            Assert.Equal("utf-8", r.Header("Accept-Charset"));
        });
        var create = sent[1];
        Assert.StartsWith("application/json", create.Header("Content-Type"));
        Assert.Equal(_adapter.Render(content, account).Body, create.Body);
        using var json = JsonDocument.Parse(create.Body);
        var root = json.RootElement;
        Assert.Equal("Exact Medium request", root.GetProperty("title").GetString());
        Assert.Equal("markdown", root.GetProperty("contentFormat").GetString());
        Assert.Equal(
            "# Exact Medium request\n\nBody of Exact Medium request with a [link](https://blog.example.com/more) and an ![image](https://blog.example.com/img.png).\n",
            root.GetProperty("content").GetString());
        Assert.Equal(["dotnet", "csharp", "web"], root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(content.CanonicalUrl!.AbsoluteUri, root.GetProperty("canonicalUrl").GetString());
        Assert.Equal("public", root.GetProperty("publishStatus").GetString());
        Assert.False(root.TryGetProperty("license", out _));

        var post = Assert.Single(Server.State.Medium.Posts, p => p.AuthorId == user.Id);
        Assert.Equal(["dotnet", "csharp", "web"], post.Tags);
        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(201, outcome.HttpStatus);
        Assert.Equal(post.Id, outcome.ExternalId);
        Assert.Equal(new Uri(post.Url), outcome.Url);
        Assert.StartsWith($"https://medium.com/@{user.Username}/exact-medium-request-", outcome.Url!.AbsoluteUri);
    }

    [Fact]
    public async Task PublishAsync_RelativeLinks_AreMadeAbsoluteAgainstTheCanonicalUrl()
    {
        var (account, user) = NewAccount("links");

        await _adapter.PublishAsync(Request(Article("Relative links"), account));

        var post = Assert.Single(Server.State.Medium.Posts, p => p.AuthorId == user.Id);
        Assert.Contains("[link](https://blog.example.com/more)", post.Content);
        Assert.StartsWith("# Relative links\n\n", post.Content);
    }

    [Fact]
    public async Task PublishAsync_TwoPosts_AsksForTheAuthorIdOnce()
    {
        var (account, user) = NewAccount("cache");

        await _adapter.PublishAsync(Request(Article("Cached one"), account));
        await _adapter.PublishAsync(Request(Article("Cached two"), account));

        Assert.Single(Requests(user), r => r.Path == "/medium/v1/me");
        Assert.Equal(2, Server.State.Medium.Posts.Count(p => p.AuthorId == user.Id));
    }

    [Fact]
    public async Task PublishAsync_DraftWithLicense_SendsBothSettings()
    {
        var (account, user) = NewAccount("draft", new Dictionary<string, string> { ["publish_status"] = "Draft", ["license"] = "cc-40-by" });

        var outcome = await _adapter.PublishAsync(Request(Article("A draft"), account));

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        var post = Assert.Single(Server.State.Medium.Posts, p => p.AuthorId == user.Id);
        Assert.Equal("draft", post.PublishStatus);
        Assert.Equal("cc-40-by", post.License);
    }

    [Fact]
    public async Task PublishAsync_WrongToken_PermanentSayingNoNewTokensWithoutTheToken()
    {
        var account = MediumAccount("not-a-medium-token-42");

        var outcome = await _adapter.PublishAsync(Request(Article("Wrong token"), account));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(401, outcome.HttpStatus);
        Assert.Contains("Token was invalid. (code 6003)", outcome.Error);
        Assert.Contains("issues no new integration tokens", outcome.Error);
        Assert.DoesNotContain("not-a-medium-token-42", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_RateLimited_RateLimitedWithRetryAfter()
    {
        var (account, user) = NewAccount("limited");
        await _adapter.PublishAsync(Request(Article("Warm the author cache"), account));
        var outcome = await WithFaultsAsync(new SandboxFaults { RateLimitRate = 1, RetryAfterSeconds = 30 }, () => _adapter.PublishAsync(Request(Article("Rate limited"), account)));

        Assert.Equal(PublishOutcomeKind.RateLimited, outcome.Kind);
        Assert.Equal(TimeSpan.FromSeconds(30), outcome.RetryAfter);
        Assert.Single(Server.State.Medium.Posts, p => p.AuthorId == user.Id);
    }

    [Fact]
    public async Task PublishAsync_ServerError_UnknownBecauseThePostMayExist()
    {
        var (account, user) = NewAccount("fault");
        await _adapter.PublishAsync(Request(Article("Warm it"), account));
        var outcome = await WithFaultsAsync(new SandboxFaults { ServerErrorRate = 1 }, () => _adapter.PublishAsync(Request(Article("Server error"), account)));

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Equal(503, outcome.HttpStatus);
        Assert.Single(Server.State.Medium.Posts, p => p.AuthorId == user.Id);
    }

    [Fact]
    public async Task Create_GatewayTimeoutAfterCommit_IsUnknownAndLookupCannotTell()
    {
        var gateway = new GatewayTimeoutAfterCommit("POST", "/posts");
        using var provider = Build(_fixture.Clock, gateway: gateway);
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("medium");
        var (account, user) = NewAccount("gateway");
        var content = Article("Gateway timeout on Medium");

        var outcome = await adapter.PublishAsync(Request(content, account));

        Assert.Equal(1, gateway.Replaced);
        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Equal(504, outcome.HttpStatus);
        Assert.Single(Server.State.Medium.Posts, p => p.AuthorId == user.Id);

        var lookup = await adapter.FindExistingAsync(Request(content, account) with { UncertainSince = _fixture.Clock.GetUtcNow() });

        Assert.Equal(ExistingPostState.CannotTell, lookup.State);
    }

    [Fact]
    public async Task PublishAsync_ConnectionRefused_Transient()
    {
        var account = MediumAccount("any", baseUrl: new Uri($"http://127.0.0.1:{ClosedPort()}/medium/v1"));

        var outcome = await _adapter.PublishAsync(Request(Article("Refused"), account));

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
        Assert.Contains("Could not reach Medium", outcome.Error);
    }

    [Fact]
    public async Task PublishAsync_DroppedAfterAccept_UnknownAndTheLookupCannotTell()
    {
        var (account, user) = NewAccount("dropped");
        await _adapter.PublishAsync(Request(Article("Warm the cache"), account));
        var outcome = await WithFaultsAsync(new SandboxFaults { DropAfterAcceptRate = 1 }, () => _adapter.PublishAsync(Request(Article("Dropped answer"), account)));

        var lookup = await _adapter.FindExistingAsync(Request(Article("Dropped answer"), account));

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Equal(2, Server.State.Medium.Posts.Count(p => p.AuthorId == user.Id));
        Assert.Equal(ExistingPostState.CannotTell, lookup.State);
        Assert.Contains("cannot list", lookup.Reason);
    }

    [Fact]
    public async Task PublishAsync_Timeout_Unknown()
    {
        using var services = Build(_fixture.Clock, o => o.Timeout = TimeSpan.FromSeconds(2));
        var adapter = services.GetRequiredService<PlatformRegistry>().Resolve("medium");
        var (account, _) = NewAccount("slow");
        Assert.Equal(PublishOutcomeKind.Published, (await adapter.PublishAsync(Request(Article("Warm"), account))).Kind);
        // The delay runs on the sandbox's fake clock, which nobody moves: the answer never comes.
        var outcome = await WithFaultsAsync(new SandboxFaults { Delay = TimeSpan.FromMinutes(1) }, () => adapter.PublishAsync(Request(Article("Too slow"), account)));

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
    }

    [Fact]
    public void Validate_NoTokenBadSettingsNoTitle_ListsEveryProblem()
    {
        var account = new Account
        {
            Platform = "medium",
            DisplayName = "bad",
            Settings = new Dictionary<string, string> { ["publish_status"] = "secret", ["license"] = "mine" },
        };

        var problems = _adapter.Validate(new Content { Title = " ", Body = "Body" }, account);

        Assert.Equal(["access_token", "publish_status", "license", "title"], problems.Select(p => p.Field));
        Assert.Contains("issues no new ones", problems[0].Message);
        Assert.All(problems, p => Assert.Equal("medium", p.Platform));
    }

    [Fact]
    public void Render_EndpointNamesTheAuthorPlaceholder()
    {
        var rendered = _adapter.Render(Article("Rendered"), MediumAccount("t"));

        Assert.Equal("POST /v1/users/{authorId}/posts", rendered.Endpoint);
        Assert.Equal("application/json", rendered.MediaType);
    }

    private static ServiceProvider Build(
        TimeProvider clock, Action<Herald.Platforms.Medium.MediumOptions>? configure = null, GatewayTimeoutAfterCommit? gateway = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddHerald().AddMedium(configure);
        gateway?.AddTo(services, Herald.Platforms.Medium.MediumAdapter.HttpClientName);
        return services.BuildServiceProvider();
    }

    private (Account Account, MediumSandboxUser User) NewAccount(string name, Dictionary<string, string>? settings = null)
    {
        var user = Server.State.Medium.AddUser($"medium-{name}-{Guid.NewGuid():N}", $"{name}{Guid.NewGuid():N}"[..12]);
        return (MediumAccount(user.Token, settings), user);
    }

    private Account MediumAccount(string token, Dictionary<string, string>? settings = null, Uri? baseUrl = null) => new()
    {
        Platform = "medium",
        DisplayName = "Medium test",
        Credentials = new AccountCredentials { ["access_token"] = token },
        BaseUrl = baseUrl ?? Server.PlatformBaseUrl("medium"),
        Settings = settings ?? new Dictionary<string, string>(),
    };

    private List<RecordedRequest> Requests(MediumSandboxUser user) =>
        [.. Server.Requests.For("medium").Where(r => r.Header("Authorization") == $"Bearer {user.Token}")];

    private static Content Article(string title, IReadOnlyList<string>? tags = null) => new()
    {
        Title = title,
        Body = $"Body of {title} with a [link](/more) and an ![image](/img.png).",
        Tags = tags ?? [],
        CanonicalUrl = new Uri("https://blog.example.com/posts/" + Guid.NewGuid().ToString("N")),
    };

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
