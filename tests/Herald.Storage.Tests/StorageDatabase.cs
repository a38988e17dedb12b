using System.Security.Cryptography;
using Herald.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

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
    private string _database = "";

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    protected override async Task CreateAsync()
    {
        (_database, var connectionString) = await ScratchPostgres.CreateAsync("herald_test");
        ConnectionString = connectionString;
    }

    protected override Task DropAsync() => ScratchPostgres.DropAsync(_database);
}
