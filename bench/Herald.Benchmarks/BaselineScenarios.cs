using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Herald.Benchmarks;

/// <summary>The same work without Herald: plain Hangfire (one job per publication, default settings) and no queue at all.</summary>
internal static class BaselineScenarios
{
    private sealed record Setup(BenchDatabase Database, SandboxServer Sandbox, NpgsqlDataSource DataSource, HttpClient Http) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await DataSource.DisposeAsync();
            await Sandbox.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    /// <summary>A Herald database (for the same tables and rows) seeded with <paramref name="count"/> publications for the sandbox's own user.</summary>
    private static async Task<(Setup Setup, List<Guid> Ids)> PrepareAsync(string admin, int count, DateTimeOffset due)
    {
        var database = await BenchDatabase.CreateAsync(admin, postgres: true);
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { DisableRateLimits = true });
        using var host = HeraldScenarios.Build(database);
        await host.Services.MigrateHeraldDatabaseAsync();
        var ids = await BenchDatabase.SeedAsync(host.Services, sandbox, count, 1, due);
        var dataSource = NpgsqlDataSource.Create(HeraldDatabase.WithPostgresDefaults(database.ConnectionString));
        var http = new HttpClient();
        HandWritten.Configure(dataSource, http, new Uri(sandbox.PlatformBaseUrl("devto").AbsoluteUri.TrimEnd('/') + "/"), SandboxAccounts.DevToKey);
        return (new Setup(database, sandbox, dataSource, http), ids);
    }

    /// <summary>The loop, warm (it has published <paramref name="warmUp"/> first), over <paramref name="count"/> publications.</summary>
    public static async Task<Result> NoQueueAsync(string admin, int count, int warmUp, int concurrency = 20)
    {
        var (setup, all) = await PrepareAsync(admin, warmUp + count, DateTimeOffset.UtcNow);
        await using var _ = setup;
        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency };
        await Parallel.ForEachAsync(all.Take(warmUp), options, async (id, _) => await HandWritten.PublishAsync(id));
        setup.Sandbox.Requests.Clear();
        var ids = all.Skip(warmUp).ToList();
        await Parallel.ForEachAsync(ids, options, async (id, _) => await HandWritten.PublishAsync(id));
        return Result.Throughput("No queue: 20 tasks, SELECT + POST + UPDATE (PostgreSQL)", await Wait.ForCreatesAsync(setup.Sandbox, count, TimeSpan.FromMinutes(1)));
    }

    /// <summary>Jobs enqueued, then a server started; warm (a first server ran <paramref name="warmUp"/> jobs in this process).</summary>
    public static async Task<Result> PlainHangfireThroughputAsync(string admin, int count, int warmUp)
    {
        var (setup, all) = await PrepareAsync(admin, warmUp + count, DateTimeOffset.UtcNow);
        await using var _ = setup;
        var storage = Storage(setup.Database.ConnectionString);
        var client = new BackgroundJobClient(storage);
        foreach (var id in all.Take(warmUp))
        {
            client.Enqueue(() => HandWritten.PublishAsync(id));
        }

        using (new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = 20 }, storage))
        {
            await Wait.ForCreatesAsync(setup.Sandbox, warmUp, TimeSpan.FromMinutes(20));
        }

        setup.Sandbox.Requests.Clear();
        foreach (var id in all.Skip(warmUp))
        {
            client.Enqueue(() => HandWritten.PublishAsync(id));
        }

        using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = 20 }, storage);
        var creates = await Wait.ForCreatesAsync(setup.Sandbox, count, TimeSpan.FromMinutes(20));
        return Result.Throughput("Plain Hangfire: a job per publication (PostgreSQL)", creates);
    }

    public static async Task<Result> PlainHangfireLatenessAsync(string admin, int count)
    {
        var due = DateTimeOffset.UtcNow.AddSeconds(20);
        due = new DateTimeOffset(due.Ticks - (due.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var (setup, ids) = await PrepareAsync(admin, count, due);
        await using var _ = setup;
        var storage = Storage(setup.Database.ConnectionString);
        using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = 20 }, storage);
        var client = new BackgroundJobClient(storage);
        foreach (var id in ids)
        {
            client.Schedule(() => HandWritten.PublishAsync(id), due);
        }

        var creates = await Wait.ForCreatesAsync(setup.Sandbox, count, TimeSpan.FromMinutes(10));
        return Result.Lateness($"Plain Hangfire: {count} scheduled for one instant (PostgreSQL)", creates, due);
    }

    internal static PostgreSqlStorage Storage(string connectionString)
    {
        // Defaults, as a user would start: only the schema is Hangfire's usual one.
        var options = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = true };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }
}
