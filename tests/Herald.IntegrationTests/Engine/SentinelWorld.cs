using Herald.Accounts;
using Herald.Contents;
using Herald.Engine;
using Herald.Platforms;
using Herald.Publications;
using Herald.Sandbox.Hosting;
using Herald.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Herald.IntegrationTests.Engine;

/// <summary>Herald composed with every adapter, SQLite storage and trace-level logging, against a real sandbox.</summary>
internal sealed class SentinelWorld : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("herald-sentinel-").FullName;
    private readonly ServiceProvider _services;

    // One scope, as one worker: the runner saves what this scope's store loaded.
    private readonly AsyncServiceScope _scope;

    private SentinelWorld(SandboxServer sandbox, ILoggerProvider logs)
    {
        Sandbox = sandbox;
        DatabasePath = Path.Combine(_directory, "herald.db");
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddHerald().AddDevTo().AddLinkedIn().AddX().AddMedium().AddMastodon().AddBluesky().AddThreads();
        services.AddHeraldStorage($"Data Source={DatabasePath}");
        _services = services.BuildServiceProvider();
        _scope = _services.CreateAsyncScope();
    }

    public IPublishingEngine Engine => _scope.ServiceProvider.GetRequiredService<IPublishingEngine>();

    private IPublicationStore Store => _scope.ServiceProvider.GetRequiredService<IPublicationStore>();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    public SandboxServer Sandbox { get; }

    public string DatabasePath { get; }

    public static async Task<SentinelWorld> StartAsync(ILoggerProvider logs)
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Random = new Random(11) });
        var world = new SentinelWorld(sandbox, logs);
        await world._services.MigrateHeraldDatabaseAsync();
        return world;
    }

    public Account Account(string platform, AccountCredentials credentials, Dictionary<string, string>? settings = null) => new()
    {
        Platform = platform,
        DisplayName = $"sentinel-{Guid.NewGuid():N}",
        BaseUrl = Sandbox.PlatformBaseUrl(platform),
        Credentials = credentials,
        Settings = settings ?? new Dictionary<string, string>(),
    };

    public async Task<(Publication Publication, Content Content, Account Account)> ScheduleAsync(Content content, Account account)
    {
        var store = Store;
        await store.AddContentAsync(content);
        var stored = await store.UpsertAccountAsync(account);
        var now = Clock.GetUtcNow();
        var publication = Publication.Create(content.Id, stored.Id, stored.Platform, now, "UTC", 3, now);
        await store.AddPublicationAsync(publication);
        return (publication, content, stored);
    }

    public Task<PublishOutcome> RunScheduledAsync((Publication Publication, Content Content, Account Account) scheduled) =>
        _scope.ServiceProvider.GetRequiredService<PublicationRunner>().RunAsync(scheduled.Publication, scheduled.Content, scheduled.Account, "worker-1");

    public async Task<PublishOutcome> RunAsync(Content content, Account account) => await RunScheduledAsync(await ScheduleAsync(content, account));

    public async Task<Publication> LoadAsync(PublicationId id) => (await Store.GetPublicationAsync(id))!;

    /// <summary>The credentials as stored now, after Herald wrote back renewed tokens and sessions.</summary>
    public async Task<List<Dictionary<string, string>>> StoredCredentialsAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        var accounts = await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Accounts.AsNoTracking().ToListAsync();
        return [.. accounts.Select(a => a.Credentials.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal))];
    }

    /// <summary>The error and payload columns, read with plain SQL so nothing is hidden by a mapping.</summary>
    public async Task<(List<string> LastErrors, List<string> AttemptErrors, List<string> Payloads)> TextColumnsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        return (await ColumnAsync(connection, "SELECT last_error FROM publications"),
            await ColumnAsync(connection, "SELECT error FROM attempts"),
            await ColumnAsync(connection, "SELECT payload FROM publications"));
    }

    private static async Task<List<string>> ColumnAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? "" : reader.GetString(0));
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
        await Sandbox.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
