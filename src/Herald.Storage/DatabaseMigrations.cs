using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Herald.Storage;

/// <summary>Applies a context's migrations as every Herald host should (the library's own, the server's, the dashboard's).</summary>
public static class DatabaseMigrations
{
    /// <summary>The session advisory lock under which one process at a time changes the schema on PostgreSQL.</summary>
    internal const string LockSql = "SELECT pg_advisory_lock(hashtext('herald:migrations'))";

    internal const string UnlockSql = "SELECT pg_advisory_unlock(hashtext('herald:migrations'))";

    /// <summary>
    /// How long one migration statement may run on PostgreSQL: some read or index a whole table, which on a large
    /// one takes longer than the 30 s a command gets by default — and a migration stopped part way is stopped again
    /// at every start.
    /// </summary>
    internal static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(15);

    /// <summary>Runs <paramref name="migrate"/> with <see cref="CommandTimeout"/>, then gives the context its own back.</summary>
    internal static async Task WithMigrationTimeoutAsync(DatabaseFacade database, Func<Task> migrate)
    {
        var own = database.GetCommandTimeout();
        database.SetCommandTimeout(CommandTimeout);
        try
        {
            await migrate();
        }
        finally
        {
            database.SetCommandTimeout(own);
        }
    }

    /// <summary>
    /// Applies <paramref name="database"/>'s pending migrations. On PostgreSQL, one process at a time (several
    /// machines starting on a new database would race to create the same tables), and with the migrations' history
    /// table created first: the PostgreSQL provider reads that table before it knows whether it exists, and on a new
    /// database EF Core logs the "does not exist" it gets as a failed command — an error a new user would take for one.
    /// </summary>
    public static async Task MigrateHeraldAsync(this DatabaseFacade database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (!database.IsNpgsql())
        {
            await database.MigrateAsync(cancellationToken);
            return;
        }

        // One connection for the whole: a session lock lives as long as its connection stays open.
        await database.OpenConnectionAsync(cancellationToken);
        try
        {
            // Another process may hold the lock for as long as its migrations take.
            await WithMigrationTimeoutAsync(database, () => database.ExecuteSqlRawAsync(LockSql, cancellationToken));
            try
            {
                await CreateHistoryTableAsync(database, cancellationToken);
                await WithMigrationTimeoutAsync(database, () => database.MigrateAsync(cancellationToken));
            }
            finally
            {
                try
                {
                    await database.ExecuteSqlRawAsync(UnlockSql, CancellationToken.None);
                }
                catch (Exception ex) when (ex is DbException or InvalidOperationException)
                {
                    // A broken connection: closing it frees the lock, and the migration's own error is the one to see.
                }
            }
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }

    /// <summary>The history table as the migrator would create it (<c>CREATE TABLE IF NOT EXISTS</c>), under the caller's lock.</summary>
    internal static Task CreateHistoryTableAsync(DatabaseFacade database, CancellationToken cancellationToken) =>
        database.ExecuteSqlRawAsync(database.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
}
