using Microsoft.Data.Sqlite;
using Npgsql;

namespace Herald.Jobs.Tests;

/// <summary>A fresh database for one test: a temp SQLite file, or a new database in the test PostgreSQL (HERALD_TEST_POSTGRES).</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _directory;
    private readonly string? _adminConnectionString;
    private readonly string? _database;

    private TestDatabase(string connectionString, string? directory, string? admin, string? database)
    {
        ConnectionString = connectionString;
        _directory = directory;
        _adminConnectionString = admin;
        _database = database;
    }

    public string ConnectionString { get; }

    public bool IsPostgres => _database is not null;

    public static TestDatabase Sqlite()
    {
        var directory = Directory.CreateTempSubdirectory("herald-jobs-").FullName;
        return new TestDatabase($"Data Source={Path.Combine(directory, "herald.db")}", directory, null, null);
    }

    public static async Task<TestDatabase> PostgresAsync(int maxPoolSize = 20)
    {
        var admin = Environment.GetEnvironmentVariable("HERALD_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("HERALD_TEST_POSTGRES is not set. Run the tests with ./test.sh, which starts PostgreSQL and sets it.");
        var database = $"herald_jobs_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database, MaxPoolSize = maxPoolSize }.ConnectionString;
        return new TestDatabase(connectionString, null, admin, database);
    }

    public async ValueTask DisposeAsync()
    {
        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
