using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Dashboard.Setup;
using Herald.Server.Hosting;
using Herald.Server.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Herald.Dashboard.Tests;

/// <summary>
/// The real server on a loopback port (Kestrel, so Chromium can reach it) with the in-process sandbox and a fresh
/// SQLite file; Debian's Chromium driven by Playwright; the first admin created through the setup link the server
/// printed; and publications made through the REST API: published, failed (an account whose key the sandbox does
/// not know — its credentials are the sentinels), waiting as a LinkedIn draft, and scheduled far ahead.
/// </summary>
public sealed class DashboardHost : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public const string AdminName = "admin";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly string _directory = Directory.CreateTempSubdirectory("herald-dashboard-").FullName;
    private readonly LineWriter _console = new();
    private WebApplication? _app;
    private IPlaywright? _playwright;

    /// <summary>The admin's password: a sentinel too (it must appear in no page and no log line).</summary>
    public string AdminPassword { get; } = $"Pw1-{Guid.NewGuid():N}";

    /// <summary>Credentials stored on the failing account; no page may ever show them.</summary>
    public string[] Sentinels { get; } = [$"SENTINEL-A-{Guid.NewGuid():N}", $"SENTINEL-B-{Guid.NewGuid():N}"];

    public string BaseUrl { get; private set; } = "";

    /// <summary>The server's services, for tests of the dashboard's server logic on the same database.</summary>
    public IServiceProvider Services => _app!.Services;

    /// <summary>The one-time setup link the server wrote to its console.</summary>
    public string SetupLink { get; private set; } = "";

    public ConcurrentQueue<string> LogLines { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>An admin-scope API client, for arranging data and checking what the dashboard did.</summary>
    public HttpClient Api { get; private set; } = null!;

    public string PublishedTitle { get; } = $"Published article {Guid.NewGuid():N}";

    public string FailingTitle { get; } = $"Failing article {Guid.NewGuid():N}";

    public string DraftTitle { get; } = $"Draft article {Guid.NewGuid():N}";

    /// <summary>A second LinkedIn draft that no test posts, so the overview always has one waiting.</summary>
    public string WaitingDraftTitle { get; } = $"Waiting draft {Guid.NewGuid():N}";

    public string LaterTitle { get; } = $"Later article {Guid.NewGuid():N}";

    public string PublishedId { get; private set; } = "";

    public string FailingId { get; private set; } = "";

    public string DraftId { get; private set; } = "";

    public string LaterId { get; private set; } = "";

    /// <summary>Where the tests' screenshots go (test artifacts).</summary>
    public string ScreenshotDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = _directory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Herald:Database"] = $"Data Source={Path.Combine(_directory, "herald.db")}",
            ["Herald:CredentialKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Herald:Server:Sandbox"] = "true",
            ["Herald:Workers:SafetyPoll"] = "00:00:00.500",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new CapturingLoggerProvider(LogLines));
        builder.AddHeraldServer();
        builder.Services.AddSingleton(new DashboardConsole(_console));
        _app = builder.Build();
        _app.MapHeraldServer();
        await _app.StartAsync();
        BaseUrl = _app.Urls.First().TrimEnd('/');
        var line = await _console.WaitForLineAsync(l => l.Contains("/setup?token=", StringComparison.Ordinal), Patience);
        SetupLink = line.Split(' ').Single(w => w.Contains("/setup?token=", StringComparison.Ordinal));

        // The machine is shared and busy: every expectation waits as long as the fixture's other waits.
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in a container has no user namespaces for Chromium's sandbox.
            Args = ["--no-sandbox"],
        });

        await CreateFirstAdminAsync();
        await ArrangePublicationsAsync();
    }

    /// <summary>A fresh browser context (own cookies) with a page on the server; in <paramref name="timeZone"/> when given.</summary>
    public async Task<IPage> NewPageAsync(string? timeZone = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, TimezoneId = timeZone });
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = BaseUrl });
        return await context.NewPageAsync();
    }

    /// <summary>A page signed in as the admin, through the sign-in form.</summary>
    public async Task<IPage> SignedInPageAsync(string? timeZone = null)
    {
        var page = await NewPageAsync(timeZone);
        await page.GotoAsync("/login");
        await page.GetByLabel("User name").FillAsync(AdminName);
        await page.GetByLabel("Password").FillAsync(AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Where the in-process sandbox serves <paramref name="platform"/>.</summary>
    public Uri SandboxPlatformUrl(string platform) => _app!.Services.GetRequiredService<ServerSandbox>().Server!.PlatformBaseUrl(platform);

    /// <summary>The admin API key the fixture arranges with: a secret no page may show.</summary>
    public string ApiKey => Api.DefaultRequestHeaders.Authorization!.Parameter!;

    /// <summary>POSTs <paramref name="body"/> as JSON with the admin key; the answer must be a success.</summary>
    public async Task<JsonNode> PostAsync(string path, object body)
    {
        using var response = await Api.PostAsJsonAsync(path, body, JsonSerializerOptions.Web);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>The stored accounts as <c>GET /api/v1/accounts</c> lists them.</summary>
    public async Task<JsonArray> AccountsAsync() => JsonNode.Parse(await Api.GetStringAsync("/api/v1/accounts"))!.AsArray();

    public async Task<JsonNode> GetPublicationAsync(string id) =>
        JsonNode.Parse(await Api.GetStringAsync($"/api/v1/publications/{id}"))!;

    /// <summary>Waits (polling the API) until the publication has <paramref name="status"/>.</summary>
    public async Task<JsonNode> WaitForStatusAsync(string id, string status)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var details = await GetPublicationAsync(id);
            if ((string?)details["publication"]!["status"] == status)
            {
                return details;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"publication {id} did not become {status}; last seen {details["publication"]!["status"]}");
            }

            await Task.Delay(200);
        }
    }

    private async Task CreateFirstAdminAsync()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(SetupLink);
        await page.GetByLabel("User name").FillAsync(AdminName);
        await page.Locator("#password").FillAsync(AdminPassword);
        await page.Locator("#confirm").FillAsync(AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create admin and sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    private async Task ArrangePublicationsAsync()
    {
        string key;
        await using (var scope = _app!.Services.CreateAsyncScope())
        {
            key = (await scope.ServiceProvider.GetRequiredService<ApiKeys>().CreateAsync("dashboard-tests", [ApiScopes.Admin])).Key;
        }

        Api = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var sandbox = _app.Services.GetRequiredService<ServerSandbox>().Server!;

        var failingAccount = await PostAsync("/api/v1/accounts", new
        {
            platform = "devto",
            displayName = "wrong key",
            credentials = new Dictionary<string, string> { ["api_key"] = Sentinels[0], ["unused_secret"] = Sentinels[1] },
            baseUrl = sandbox.PlatformBaseUrl("devto").ToString(),
        });
        var draftAccount = await PostAsync("/api/v1/accounts", new
        {
            platform = "linkedin",
            displayName = "by hand",
            credentials = new Dictionary<string, string>(),
            settings = new Dictionary<string, string> { ["mode"] = "manual" },
        });

        PublishedId = await PostOneAsync(PublishedTitle, "x");
        FailingId = await PostOneAsync(FailingTitle, (string)failingAccount["id"]!);
        DraftId = await PostOneAsync(DraftTitle, (string)draftAccount["id"]!);
        var waitingDraftId = await PostOneAsync(WaitingDraftTitle, (string)draftAccount["id"]!);
        LaterId = await PostOneAsync(LaterTitle, "mastodon", at: "2030-01-01 09:00");
        await WaitForStatusAsync(PublishedId, "Published");
        await WaitForStatusAsync(FailingId, "Failed");
        await WaitForStatusAsync(DraftId, "AwaitingManualAction");
        await WaitForStatusAsync(waitingDraftId, "AwaitingManualAction");
        await WaitForStatusAsync(LaterId, "Scheduled");
    }

    public async Task<string> PostOneAsync(string title, string target, string? at = null)
    {
        var posted = await PostAsync("/api/v1/posts", new
        {
            title,
            body = $"The body of {title}: a short article for the dashboard tests.",
            targets = new[] { target },
            at,
            timeZone = at is null ? null : "UTC",
        });
        return (string)posted["publications"]!.AsArray().Single()!["id"]!;
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a pool being torn down; the temp folder is cleaned by the system.
        }
    }

    /// <summary>The server's console: keeps every line and lets a test wait for one.</summary>
    private sealed class LineWriter : StringWriter
    {
        private readonly ConcurrentQueue<string> _lines = new();
        private readonly SemaphoreSlim _written = new(0);

        public override void WriteLine(string? value)
        {
            _lines.Enqueue(value ?? "");
            _written.Release();
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                if (_lines.FirstOrDefault(match) is { } line)
                {
                    return line;
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !await _written.WaitAsync(left))
                {
                    throw new TimeoutException("the server wrote no setup link to its console");
                }
            }
        }
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)} {exception}");
    }
}

/// <summary>The tests that share one server and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardHost>
{
    public const string Name = "dashboard";
}
