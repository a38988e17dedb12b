using Herald.Testing;
using Microsoft.Data.Sqlite;

namespace Herald.IntegrationTests.Workers;

/// <summary>A fresh database for one test: a temp SQLite file, or a new database in the test PostgreSQL (HERALD_TEST_POSTGRES).</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _directory;
    private readonly string? _database;

    private TestDatabase(string connectionString, string? directory, string? database)
    {
        ConnectionString = connectionString;
        _directory = directory;
        _database = database;
    }

    public string ConnectionString { get; }

    public bool IsPostgres => _database is not null;

    public static TestDatabase Sqlite()
    {
        var directory = Directory.CreateTempSubdirectory("herald-jobs-").FullName;
        return new TestDatabase($"Data Source={Path.Combine(directory, "herald.db")}", directory, null);
    }

    public static async Task<TestDatabase> PostgresAsync(int maxPoolSize = 20)
    {
        var (database, connectionString) = await ScratchPostgres.CreateAsync("herald_jobs", maxPoolSize);
        return new TestDatabase(connectionString, null, database);
    }

    public async ValueTask DisposeAsync()
    {
        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
            return;
        }

        await ScratchPostgres.DropAsync(_database!);
    }
}
