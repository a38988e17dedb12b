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
            // No long polling: with it, a worker was seen stuck in Dequeue for good, holding a job (measured on
            // Hangfire.PostgreSql 1.21.1 with Npgsql 10). A job enqueued in this process is picked up at once
            // anyway (the storage wakes its own workers); other processes' workers look every second.
            EnableLongPolling = false,
            QueuePollInterval = TimeSpan.FromSeconds(1),
            InvisibilityTimeout = TimeSpan.FromMinutes(30),
            UseSlidingInvisibilityTimeout = true,
            JobExpirationCheckInterval = TimeSpan.FromMinutes(5),
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(database.ConnectionString, options), options);
    }
}
