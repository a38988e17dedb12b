using Herald.Accounts;
using Herald.Contents;
using Herald.Engine;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Herald.IntegrationTests.Engine;

/// <summary>
/// Herald composed as a host would compose it — engine, Dev.to, LinkedIn and X adapters, SQLite storage —
/// publishing to a real sandbox. Only Herald's clock is fake.
/// </summary>
internal sealed class RunnerHarness : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("herald-runner-").FullName;
    private readonly ServiceProvider _services;
    private readonly AsyncServiceScope _scope;

    private RunnerHarness(SandboxServer sandbox)
    {
        Sandbox = sandbox;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddHerald().AddDevTo().AddLinkedIn().AddX().AddMedium().AddBluesky().AddThreads();
        services.AddHeraldStorage($"Data Source={Path.Combine(_directory, "herald.db")}");
        _services = services.BuildServiceProvider();
        _scope = _services.CreateAsyncScope();
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    public SandboxServer Sandbox { get; }

    /// <summary>The root provider, for a second scope (another worker, or the process after a restart).</summary>
    public IServiceProvider Services => _services;

    public IPublicationStore Store => _scope.ServiceProvider.GetRequiredService<IPublicationStore>();

    public PublicationRunner Runner => _scope.ServiceProvider.GetRequiredService<PublicationRunner>();

    public IPublishingEngine Engine => _scope.ServiceProvider.GetRequiredService<IPublishingEngine>();

    public static async Task<RunnerHarness> StartAsync(SandboxFaults? faults = null)
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Faults = faults ?? SandboxFaults.None, Random = new Random(7) });
        var harness = new RunnerHarness(sandbox);
        await harness._services.MigrateHeraldDatabaseAsync();
        return harness;
    }

    public Account DevToAccount(string? apiKey = null) => new()
    {
        Platform = "devto",
        DisplayName = "sandbox",
        BaseUrl = Sandbox.PlatformBaseUrl("devto"),
        Credentials = new AccountCredentials { ["api_key"] = apiKey ?? SandboxAccounts.DevToKey },
    };

    public Account LinkedInManualAccount() => new()
    {
        Platform = "linkedin",
        DisplayName = "sandbox",
        BaseUrl = Sandbox.PlatformBaseUrl("linkedin"),
        Settings = new Dictionary<string, string> { ["mode"] = "manual" },
    };

    public Account MediumAccount() => new()
    {
        Platform = "medium",
        DisplayName = "sandbox",
        BaseUrl = Sandbox.PlatformBaseUrl("medium"),
        Credentials = new AccountCredentials { ["access_token"] = SandboxAccounts.MediumToken },
    };

    public Account BlueskyAccount() => new()
    {
        Platform = "bluesky",
        DisplayName = "sandbox",
        BaseUrl = Sandbox.PlatformBaseUrl("bluesky"),
        Credentials = new AccountCredentials { ["identifier"] = SandboxAccounts.BlueskyHandle, ["app_password"] = SandboxAccounts.BlueskyAppPassword },
    };

    public Account ThreadsAccount() => new()
    {
        Platform = "threads",
        DisplayName = "sandbox",
        BaseUrl = Sandbox.PlatformBaseUrl("threads"),
        Credentials = new AccountCredentials { ["access_token"] = SandboxAccounts.ThreadsToken },
        Settings = new Dictionary<string, string> { ["user_id"] = SandboxAccounts.ThreadsUserId },
    };

    /// <summary>A scope of its own: another worker, or the process after a restart.</summary>
    public AsyncServiceScope NewScope() => _services.CreateAsyncScope();

    public static Content Article(string title) => new()
    {
        Title = title,
        Body = $"{title} is about publishing once.\n\nSecond paragraph with a [link](/more).",
        Tags = ["dotnet", "herald"],
        CanonicalUrl = new Uri($"https://blog.example.com/{Guid.NewGuid():N}"),
    };

    /// <summary>Stores the content, account and a publication due now, as the CLI does.</summary>
    public async Task<(Publication Publication, Account Account)> ScheduleAsync(Content content, Account account, int maxRetries = 3)
    {
        await Store.AddContentAsync(content);
        var stored = await Store.UpsertAccountAsync(account);
        var now = Clock.GetUtcNow();
        var publication = Publication.Create(content.Id, stored.Id, stored.Platform, now, "UTC", maxRetries, now);
        await Store.AddPublicationAsync(publication);
        return (publication, stored);
    }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
        await Sandbox.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
