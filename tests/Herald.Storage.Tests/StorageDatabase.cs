using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Herald.Storage.Tests;

/// <summary>A fresh, migrated database for one test class: a temp SQLite file, or a new PostgreSQL database.</summary>
public abstract class StorageDatabase : IAsyncLifetime
{
    public ServiceProvider Services { get; private set; } = null!;

    public string ConnectionString { get; protected set; } = "";

    /// <summary>The key this database's credentials are encrypted with.</summary>
    public string CredentialKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public abstract DatabaseProvider Provider { get; }

    public virtual async Task InitializeAsync()
    {
        await CreateAsync();
        Services = BuildServices(CredentialKey);
        await Services.MigrateHeraldDatabaseAsync();
    }

    public ServiceProvider BuildServices(string credentialKey)
    {
        var services = new ServiceCollection();
        services.AddHeraldStorage(ConnectionString, credentialKey);
        return services.BuildServiceProvider();
    }

    public virtual async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await DropAsync();
    }

    protected abstract Task CreateAsync();

    protected abstract Task DropAsync();
}

public sealed class SqliteDatabase : StorageDatabase
{
    private readonly string _directory = Directory.CreateTempSubdirectory("herald-storage-").FullName;

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override Task CreateAsync()
    {
        ConnectionString = $"Data Source={Path.Combine(_directory, "herald.db")}";
        return Task.CompletedTask;
    }

    protected override Task DropAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class PostgresDatabase : StorageDatabase
{
    public const string Variable = "HERALD_TEST_POSTGRES";
    private string _adminConnectionString = "";
    private string _database = "";

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    protected override async Task CreateAsync()
    {
        _adminConnectionString = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set. Run the tests with ./test.sh, which starts PostgreSQL and sets it.");
        _database = $"herald_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = _database }.ConnectionString;
    }

    protected override async Task DropAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
