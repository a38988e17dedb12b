using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Herald.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Jobs;

/// <summary>
/// Hangfire's storage follows Herald's database: in-memory beside SQLite (one process; after a crash the
/// publication rows are the truth and leases bring everything back), PostgreSQL (schema <c>hangfire</c>, same
/// database) beside PostgreSQL, so processes on several machines share the jobs.
/// </summary>
internal static class HeraldJobStorage
{
    public const string Schema = "hangfire";

    public static JobStorage Create(HeraldDatabaseInfo database)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            return new InMemoryStorage(new InMemoryStorageOptions { MaxExpirationTime = TimeSpan.FromMinutes(10) });
        }

        var options = new PostgreSqlStorageOptions
        {
            SchemaName = Schema,
            PrepareSchemaIfNecessary = true,
            // LISTEN/NOTIFY: a worker picks a new job up at once instead of at the next poll.
            EnableLongPolling = true,
            QueuePollInterval = TimeSpan.FromSeconds(1),
            InvisibilityTimeout = TimeSpan.FromMinutes(30),
            UseSlidingInvisibilityTimeout = true,
            JobExpirationCheckInterval = TimeSpan.FromMinutes(5),
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(database.ConnectionString, options), options);
    }
}
