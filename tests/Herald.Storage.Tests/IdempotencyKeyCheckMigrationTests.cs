using Herald.Accounts;
using Herald.Contents;
using Herald.Publications;
using Herald.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Herald.Storage.Tests;

/// <summary>
/// Upgrading a PostgreSQL database across migrations <c>IdempotencyKeyCheck</c> and <c>IdempotencyKeyValidated</c>:
/// rows Herald wrote pass without a warning, a row whose key was written another way stops the upgrade by name before
/// anything changes, and an upgrade stopped between the two completes when run again.
/// </summary>
public sealed class IdempotencyKeyCheckMigrationTests : IAsyncLifetime
{
    private const string Before = "20261203165729_TitleSearchPendingList";
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private string _database = "";
    private string _connectionString = "";
    private ServiceProvider _services = null!;
    private readonly ConcurrentQueue<(string Category, LogLevel Level, string Message)> _logged = new();

    public async Task InitializeAsync()
    {
        (_database, _connectionString) = await ScratchPostgres.CreateAsync("herald_test");
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(new CollectingProvider(_logged)));
        services.AddHeraldStorage(_connectionString, Convert.ToBase64String(new byte[32]));
        _services = services.BuildServiceProvider();
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().GetService<IMigrator>().MigrateAsync(Before);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await ScratchPostgres.DropAsync(_database);
    }

    [Fact]
    public async Task Upgrade_RowsHeraldWrote_ReplacesTheIndexByAValidatedCheck()
    {
        var ids = await SeedAsync(3);
        _logged.Clear();

        await _services.MigrateHeraldDatabaseAsync();

        // EF Core warns about a migration that mixes statements in and out of a transaction: a new user would see it.
        Assert.Contains(_logged, entry => entry.Message.Contains("IdempotencyKeyValidated", StringComparison.Ordinal));
        Assert.DoesNotContain(_logged, entry => entry.Level >= LogLevel.Warning);
        Assert.Equal("true", await ScalarAsync("SELECT convalidated::text FROM pg_constraint WHERE conname = 'ck_publications_idempotency_key'"));
        Assert.Equal("0", await ScalarAsync("SELECT count(*)::text FROM pg_indexes WHERE indexname = 'IX_publications_idempotency_key'"));
        Assert.Equal("3", await ScalarAsync($"SELECT count(*)::text FROM publications WHERE id IN ({string.Join(", ", ids.Select(id => $"'{id.Value}'"))})"));
    }

    [Fact]
    public async Task Upgrade_AKeyNotMadeFromItsId_StopsNamingTheRowAndChangesNothing()
    {
        var ids = await SeedAsync(2);
        await ExecuteAsync($"UPDATE publications SET idempotency_key = 'written-by-hand' WHERE id = '{ids[1].Value}'");

        var ex = await Record.ExceptionAsync(() => _services.MigrateHeraldDatabaseAsync());

        var refused = Assert.IsType<InvalidOperationException>(ex);
        Assert.StartsWith("Herald cannot upgrade its database", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"publication {ids[1].Value} has an idempotency key", refused.Message, StringComparison.Ordinal);
        Assert.Equal("1", await ScalarAsync("SELECT count(*)::text FROM pg_indexes WHERE indexname = 'IX_publications_idempotency_key'"));
        Assert.Equal("0", await ScalarAsync("SELECT count(*)::text FROM pg_constraint WHERE conname = 'ck_publications_idempotency_key'"));
        Assert.Equal(Before, await ScalarAsync("SELECT max(\"MigrationId\") FROM \"__EFMigrationsHistory\""));

        // Corrected, the same upgrade goes through.
        await ExecuteAsync($"UPDATE publications SET idempotency_key = 'herald-' || replace(id::text, '-', '') WHERE id = '{ids[1].Value}'");
        await _services.MigrateHeraldDatabaseAsync();
        Assert.Equal("true", await ScalarAsync("SELECT convalidated::text FROM pg_constraint WHERE conname = 'ck_publications_idempotency_key'"));
    }

    [Fact]
    public async Task Upgrade_StoppedBeforeValidating_CompletesWhenRunAgain()
    {
        await SeedAsync(2);
        await using (var scope = _services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().GetService<IMigrator>().MigrateAsync("20261203201213_IdempotencyKeyCheck");
        }

        Assert.Equal("false", await ScalarAsync("SELECT convalidated::text FROM pg_constraint WHERE conname = 'ck_publications_idempotency_key'"));
        // Unvalidated, the check already refuses a new row whose key is not made from its id.
        var refused = await Record.ExceptionAsync(() => ExecuteAsync(
            "UPDATE publications SET idempotency_key = 'written-by-hand' WHERE id = (SELECT id FROM publications LIMIT 1)"));
        Assert.Equal("23514", Assert.IsType<PostgresException>(refused).SqlState);

        await _services.MigrateHeraldDatabaseAsync();

        Assert.Equal("true", await ScalarAsync("SELECT convalidated::text FROM pg_constraint WHERE conname = 'ck_publications_idempotency_key'"));
        await using var check = _services.CreateAsyncScope();
        Assert.Empty(await check.ServiceProvider.GetRequiredService<HeraldDbContext>().Database.GetPendingMigrationsAsync());
    }

    /// <summary>
    /// A row committed by a transaction that was already open when the upgrade began passes the first look (it was
    /// not there yet) and the unvalidated check (it was inserted before); the second look, before validating, names it.
    /// </summary>
    [Fact]
    public async Task Upgrade_AStrayRowCommittedDuringTheFirstMigration_IsNamedBeforeValidating()
    {
        var ids = await SeedAsync(1);
        await using var other = new NpgsqlConnection(_connectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        var strayId = Guid.NewGuid();
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO publications (id, content_id, account_id, platform, status, scheduled_at, time_zone, attempt_count, retry_count, " +
            "max_retries, idempotency_key, thread_part_ids, created_at, updated_at, version, recovery_count) " +
            $"SELECT '{strayId}', content_id, account_id, platform, status, scheduled_at, time_zone, 0, 0, 3, 'written-by-hand', '[]', " +
            $"created_at, updated_at, 0, 0 FROM publications WHERE id = '{ids[0].Value}'",
            other,
            transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var upgrade = Task.Run(() => _services.MigrateHeraldDatabaseAsync());
        // The first migration's look has passed once its DROP INDEX waits for the open transaction.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (await ScalarAsync("SELECT count(*)::text FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' " +
            "AND query LIKE '%IX_publications_idempotency_key%'") == "0")
        {
            Assert.True(DateTime.UtcNow < deadline, "the upgrade never waited for the open transaction");
            Assert.False(upgrade.IsCompleted, "the upgrade ended before it reached the index");
            await Task.Delay(50);
        }

        await transaction.CommitAsync();
        var refused = Assert.IsType<InvalidOperationException>(await Record.ExceptionAsync(() => upgrade));

        Assert.Contains($"publication {strayId} has an idempotency key", refused.Message, StringComparison.Ordinal);
        Assert.Equal("false", await ScalarAsync("SELECT convalidated::text FROM pg_constraint WHERE conname = 'ck_publications_idempotency_key'"));
    }

    /// <summary>A session holding <c>publications</c> makes the upgrade give up after its lock timeout, saying why.</summary>
    [Fact]
    public async Task Upgrade_TableInUse_StopsSayingSoAndChangesNothing()
    {
        await SeedAsync(1);
        await using (var reader = new NpgsqlConnection(_connectionString))
        {
            await reader.OpenAsync();
            await using var transaction = await reader.BeginTransactionAsync();
            await using (var hold = new NpgsqlCommand("LOCK TABLE publications IN ACCESS SHARE MODE", reader, transaction))
            {
                await hold.ExecuteNonQueryAsync();
            }

            var refused = Assert.IsType<InvalidOperationException>(await Record.ExceptionAsync(() => _services.MigrateHeraldDatabaseAsync()));

            Assert.Contains("a table it changes is in use", refused.Message, StringComparison.Ordinal);
            Assert.Contains("Stop Herald's workers", refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal("1", await ScalarAsync("SELECT count(*)::text FROM pg_indexes WHERE indexname = 'IX_publications_idempotency_key'"));
        await _services.MigrateHeraldDatabaseAsync();
        Assert.Equal("true", await ScalarAsync("SELECT convalidated::text FROM pg_constraint WHERE conname = 'ck_publications_idempotency_key'"));
    }

    [Fact]
    public async Task Migrating_GivesAStatementLongerThanACommandsDefault_ThenTheContextsOwnBack()
    {
        await using var scope = _services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Database;
        var own = database.GetCommandTimeout();
        int? during = null;

        await DatabaseMigrations.WithMigrationTimeoutAsync(database, () =>
        {
            during = database.GetCommandTimeout();
            return Task.CompletedTask;
        });

        Assert.Equal((int)DatabaseMigrations.CommandTimeout.TotalSeconds, during);
        Assert.True(during > 30);
        Assert.Equal(own, database.GetCommandTimeout());
    }

    private async Task<List<PublicationId>> SeedAsync(int count)
    {
        await using var scope = _services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
        var content = new Content { Title = "Upgrade", Body = "Body", CreatedAt = Now };
        await store.AddContentAsync(content);
        var account = await store.UpsertAccountAsync(new Account
        {
            Platform = "devto",
            DisplayName = "upgrade",
            BaseUrl = new Uri("http://127.0.0.1:5980/devto/api"),
            Credentials = new AccountCredentials { ["api_key"] = "secret-api-key-value" },
            CreatedAt = Now,
        });
        var ids = new List<PublicationId>();
        for (var i = 0; i < count; i++)
        {
            var publication = Publication.Create(content.Id, account.Id, "devto", Now.AddDays(i + 1), "UTC", 3, Now);
            await store.AddPublicationAsync(publication);
            ids.Add(publication.Id);
        }

        return ids;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync();
    }

    private sealed class CollectingProvider(ConcurrentQueue<(string Category, LogLevel Level, string Message)> entries) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collector(categoryName, entries);

        public void Dispose()
        {
        }

        private sealed class Collector(string category, ConcurrentQueue<(string Category, LogLevel Level, string Message)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
