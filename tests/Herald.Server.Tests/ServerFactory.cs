using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Herald.Server.Hosting;
using Herald.Server.Keys;
using Herald.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Tests;

/// <summary>The database a test server runs on.</summary>
public enum TestDatabase
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// The real server (<c>Program</c>) in memory with its workers and an in-process sandbox, on a fresh SQLite file or a
/// scratch PostgreSQL database. Every log line it writes is kept, so tests can scan them.
/// </summary>
public class ServerFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>Held while a host is built: WebApplicationFactory would catch a host built beside it (a test's receiver too).</summary>
    internal static readonly SemaphoreSlim StartLock = new(1, 1);

    private readonly TestDatabase _database;
    private readonly Dictionary<string, string?> _settings;
    private readonly string _directory = Directory.CreateTempSubdirectory("herald-server-").FullName;
    private string? _scratchDatabase;
    private string _connectionString = "";

    public ServerFactory(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _database = database;
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
    }

    /// <summary>Every log line the server wrote, formatted with its exception.</summary>
    public ConcurrentQueue<string> LogLines { get; } = new();

    public string ConnectionString => _connectionString;

    public TestDatabase Database => _database;

    public async Task InitializeAsync()
    {
        if (_database == TestDatabase.PostgreSql)
        {
            (_scratchDatabase, _connectionString) = await ScratchPostgres.CreateAsync("herald_server");
        }
        else
        {
            _connectionString = $"Data Source={Path.Combine(_directory, "herald.db")}";
        }

        // WebApplicationFactory finds the host Program builds by listening to every host built in the process; two
        // servers starting at once (and the sandbox each one builds) would catch each other's. One at a time.
        await StartLock.WaitAsync();
        try
        {
            _ = Server; // starts the host: migrations, the sandbox, the workers
        }
        finally
        {
            StartLock.Release();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Herald:Database", _connectionString);
        builder.UseSetting("Herald:CredentialKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        builder.UseSetting("Herald:Server:Sandbox", "true");
        // Tests wait for outcomes; a quick safety poll keeps them short on PostgreSQL too.
        builder.UseSetting("Herald:Workers:SafetyPoll", "00:00:00.500");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(LogLines)));
    }

    /// <summary>A client that sends a new key with <paramref name="scopes"/>.</summary>
    public async Task<HttpClient> ClientWithScopesAsync(params string[] scopes)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await CreateKeyAsync(scopes));
        return client;
    }

    public async Task<string> CreateKeyAsync(params string[] scopes)
    {
        await using var scope = Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<ApiKeys>().CreateAsync("test", scopes);
        return created.Key;
    }

    /// <summary>The sandbox the server runs.</summary>
    public Sandbox.Hosting.SandboxServer Sandbox => Services.GetRequiredService<ServerSandbox>().Server!;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_scratchDatabase is not null)
        {
            await ScratchPostgres.DropAsync(_scratchDatabase);
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

/// <summary>A server on a fresh SQLite file, shared by one test class.</summary>
public sealed class SqliteServerFactory() : ServerFactory(TestDatabase.Sqlite);

/// <summary>A server on a scratch PostgreSQL database, shared by one test class.</summary>
public sealed class PostgresServerFactory() : ServerFactory(TestDatabase.PostgreSql);
