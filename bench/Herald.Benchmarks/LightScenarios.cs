using System.Diagnostics;
using Hangfire;
using Herald.Accounts;
using Herald.Contents;
using Herald.Scheduling;
using Herald.Storage;
using Herald.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Herald.Benchmarks;

/// <summary>
/// The contenders against <see cref="LightPlatform"/> (`--light`, docs/benchmarks.md): the no-queue floor, plain Hangfire on
/// PostgreSQL and Herald on PostgreSQL, each on a fresh database, doing the same work (read the row, POST the
/// article, record the outcome), so that the fake platform costs next to nothing and does not share the
/// contenders' process.
/// </summary>
internal static class LightScenarios
{
    private const string FloorKey = "light-floor";

    /// <summary>A database with rows to publish and the hand-written job pointed at the light platform.</summary>
    private sealed record Setup(BenchDatabase Database, NpgsqlDataSource DataSource, HttpClient Http, List<Guid> Ids) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await DataSource.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    /// <summary>A migrated Herald database with <paramref name="count"/> publications for one account on the light platform.</summary>
    private static async Task<Setup> PrepareAsync(LightPlatform platform, string admin, int count, DateTimeOffset due)
    {
        var database = await BenchDatabase.CreateAsync(admin, postgres: true);
        using var host = HeraldScenarios.Build(database);
        await host.Services.MigrateHeraldDatabaseAsync();
        var ids = await BenchDatabase.SeedAsync(host.Services, platform.AccountBaseUrl, null, count, 1, due);
        var dataSource = NpgsqlDataSource.Create(HeraldDatabase.WithPostgresDefaults(database.ConnectionString));
        var http = new HttpClient();
        HandWritten.Configure(dataSource, http, platform.ApiBase, FloorKey);
        return new Setup(database, dataSource, http, ids);
    }

    /// <summary>
    /// 20 tasks, each SELECT + POST + UPDATE; warm: rounds of <paramref name="warmUp"/> (the same rows again, which the
    /// loop allows) until the JIT has settled, as for Herald's run.
    /// </summary>
    public static async Task<LightResult> FloorAsync(LightPlatform platform, string admin, int count, int warmUp)
    {
        await using var setup = await PrepareAsync(platform, admin, warmUp + count, DateTimeOffset.UtcNow);
        var all = setup.Ids;
        var options = new ParallelOptions { MaxDegreeOfParallelism = 20 };
        Console.WriteLine("  floor: " + await JitWarmUp.UntilSettledAsync(
            () => Parallel.ForEachAsync(all.Take(warmUp), options, async (id, _) => await HandWritten.PublishAsync(id)),
            TimeSpan.FromSeconds(90)));
        await platform.ResetAsync();
        var cost = ProcessCost.Start();
        await Parallel.ForEachAsync(all.Skip(warmUp), options, async (id, _) => await HandWritten.PublishAsync(id));
        await platform.WaitForAsync(count);
        Console.WriteLine(cost.Line("floor", count));
        return await platform.MeasureAsync("No queue: 20 tasks, SELECT + POST + UPDATE", count, double.NaN);
    }

    /// <summary>
    /// One <c>Enqueue</c> per publication (timed: the submit rate), then a server with 20 workers; warm (a first
    /// server ran <paramref name="warmUp"/> jobs in this process).
    /// </summary>
    public static async Task<LightResult> HangfireThroughputAsync(LightPlatform platform, string admin, int count, int warmUp)
    {
        await using var setup = await PrepareAsync(platform, admin, warmUp + count, DateTimeOffset.UtcNow);
        var all = setup.Ids;
        var storage = BaselineScenarios.Storage(setup.Database.ConnectionString);
        var client = new BackgroundJobClient(storage);
        foreach (var id in all.Take(warmUp))
        {
            client.Enqueue(() => HandWritten.PublishAsync(id));
        }

        using (new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = 20 }, storage))
        {
            await platform.WaitForAsync(warmUp);
        }

        await platform.ResetAsync();
        var clock = Stopwatch.StartNew();
        foreach (var id in all.Skip(warmUp))
        {
            client.Enqueue(() => HandWritten.PublishAsync(id));
        }

        var submit = count / clock.Elapsed.TotalSeconds;
        using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = 20 }, storage);
        await platform.WaitForAsync(count);
        return await platform.MeasureAsync("Hangfire + PostgreSQL: a job per publication (Enqueue)", count, submit);
    }

    /// <summary><paramref name="count"/> <c>Schedule(T)</c> calls (timed) for one instant T 20 s ahead; a server with 20 workers running.</summary>
    public static async Task<LightResult> HangfireLatenessAsync(LightPlatform platform, string admin, int count)
    {
        var due = WholeSecond(DateTimeOffset.UtcNow.AddSeconds(20));
        await using var setup = await PrepareAsync(platform, admin, count, due);
        var storage = BaselineScenarios.Storage(setup.Database.ConnectionString);
        using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = 20 }, storage);
        await platform.ResetAsync();
        var client = new BackgroundJobClient(storage);
        var clock = Stopwatch.StartNew();
        foreach (var id in setup.Ids)
        {
            client.Schedule(() => HandWritten.PublishAsync(id), due);
        }

        var submit = count / clock.Elapsed.TotalSeconds;
        await platform.WaitForAsync(count);
        return await platform.MeasureAsync($"Hangfire + PostgreSQL: {count:N0} scheduled for one instant (Schedule)", count, submit, due);
    }

    /// <summary>
    /// A warm worker (rounds of <paramref name="warmUp"/> publications due now until its JIT has settled, as for the
    /// floor), then <paramref name="count"/> publications over 100 accounts made due at once.
    /// </summary>
    public static async Task<LightResult> HeraldThroughputAsync(LightPlatform platform, string admin, int count, int warmUp)
    {
        await using var database = await BenchDatabase.CreateAsync(admin, postgres: true);
        using var host = HeraldScenarios.Build(database);
        await host.Services.MigrateHeraldDatabaseAsync();
        var accounts = await BenchDatabase.AddAccountsAsync(host.Services, platform.AccountBaseUrl, null, 100);
        var ids = await BenchDatabase.SeedAsync(host.Services, accounts, count, DateTimeOffset.UtcNow.AddDays(1));
        await platform.ResetAsync();
        await host.StartAsync();
        Console.WriteLine("  Herald worker: " + await JitWarmUp.UntilSettledAsync(
            () => PublishRoundAsync(host, platform, warmUp, accounts, DateTimeOffset.UtcNow),
            TimeSpan.FromSeconds(90)));

        var cost = ProcessCost.Start();
        await BenchDatabase.MakeDueAsync(host.Services, ids, DateTimeOffset.UtcNow);
        await host.Services.GetRequiredService<IDueNotifier>().NotifyAsync();
        await platform.WaitForAsync(count);
        Console.WriteLine(cost.Line("Herald worker", count));
        await host.StopAsync();
        return await platform.MeasureAsync($"Herald, PostgreSQL: {count:N0} due now, 100 accounts (warm worker)", count, double.NaN);
    }

    /// <summary>
    /// <paramref name="count"/> sequential <see cref="IPublicationScheduler.ScheduleAsync(Content, IReadOnlyList{Account}, ScheduleTime, CancellationToken)"/>
    /// calls, one new article for one account each, due tomorrow, each in its own scope (as an API request would be),
    /// with the workers running; timed after untimed rounds of <paramref name="warmUp"/> calls until the JIT has settled,
    /// whose articles are then forgotten (the timed calls start from the tables a single warm-up round left before).
    /// </summary>
    public static async Task<LightResult> HeraldSubmitAsync(LightPlatform platform, string admin, int count, int warmUp)
    {
        await using (var floorDatabase = await BenchDatabase.CreateAsync(admin, postgres: true))
        {
            Console.WriteLine(LightRowText(await SubmitFloorAsync(floorDatabase, count, warmUp)));
        }

        await using var database = await BenchDatabase.CreateAsync(admin, postgres: true);
        using var host = HeraldScenarios.Build(database);
        await host.Services.MigrateHeraldDatabaseAsync();
        await host.StartAsync();
        var account = new Account
        {
            Platform = "devto",
            DisplayName = "light-submit",
            BaseUrl = platform.AccountBaseUrl,
            Credentials = new AccountCredentials { ["api_key"] = "light-submit" },
        };
        var when = ScheduleTime.At(DateTimeOffset.UtcNow.AddDays(1));
        var next = await WarmUpCallsAsync("ScheduleAsync", warmUp, i => ScheduleOneAsync(host.Services, account, when, i));
        await BenchDatabase.ForgetArticlesAsync(host.Services);

        var cost = ProcessCost.Start();
        var clock = Stopwatch.StartNew();
        for (var end = next + count; next < end; next++)
        {
            await ScheduleOneAsync(host.Services, account, when, next);
        }

        var submit = count / clock.Elapsed.TotalSeconds;
        Console.WriteLine(cost.Line("ScheduleAsync", count) + $"; {clock.ElapsedMilliseconds} ms in all");
        await host.StopAsync();
        return new LightResult($"Herald, PostgreSQL: {count:N0} ScheduleAsync calls, one after another", count, submit, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, null, null, null);
    }

    /// <summary>
    /// The floor of a durable single schedule call, measured beside it: raw Npgsql, one transaction per call holding
    /// an article row and a publication row with its payload (fsync on commit), one call after another.
    /// </summary>
    private static async Task<LightResult> SubmitFloorAsync(BenchDatabase database, int count, int warmUp)
    {
        await using var dataSource = NpgsqlDataSource.Create(HeraldDatabase.WithPostgresDefaults(database.ConnectionString));
        await using (var create = dataSource.CreateCommand(
            "CREATE TABLE floor_contents (id uuid PRIMARY KEY, title text NOT NULL, body text NOT NULL, fingerprint text NOT NULL);" +
            "CREATE INDEX ON floor_contents (fingerprint);" +
            "CREATE TABLE floor_publications (id uuid PRIMARY KEY, content_id uuid NOT NULL REFERENCES floor_contents (id), due timestamptz NOT NULL, payload text NOT NULL);"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var due = DateTimeOffset.UtcNow.AddDays(1);
        async Task OneAsync(int i)
        {
            var content = SubmittedArticle(i);
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("INSERT INTO floor_contents VALUES ($1, $2, $3, $4)")
                    {
                        Parameters = { new() { Value = content.Id.Value }, new() { Value = content.Title }, new() { Value = content.Body }, new() { Value = content.CanonicalUrl!.ToString() } },
                    },
                    new NpgsqlBatchCommand("INSERT INTO floor_publications VALUES ($1, $2, $3, $4)")
                    {
                        Parameters = { new() { Value = Guid.CreateVersion7() }, new() { Value = content.Id.Value }, new() { Value = due }, new() { Value = content.Body } },
                    },
                },
            };
            await batch.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        var next = await WarmUpCallsAsync("single-call floor", warmUp, OneAsync);
        await using (var empty = dataSource.CreateCommand("TRUNCATE floor_contents CASCADE"))
        {
            await empty.ExecuteNonQueryAsync();
        }

        var clock = Stopwatch.StartNew();
        for (var end = next + count; next < end; next++)
        {
            await OneAsync(next);
        }

        var submit = count / clock.Elapsed.TotalSeconds;
        return new LightResult($"Floor: raw Npgsql, {count:N0} calls of one transaction with two INSERTs, one after another", count, submit, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, null, null, null);
    }

    private static string LightRowText(LightResult r) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture, $"| {r.Name} | {r.Count:N0} | {r.SubmitPerSecond:0} | | | | | | | | |");

    private static async Task ScheduleOneAsync(IServiceProvider services, Account account, ScheduleTime when, int i)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IPublicationScheduler>().ScheduleAsync(SubmittedArticle(i), [account], when);
    }

    private static Content SubmittedArticle(int i) => new()
    {
        Title = $"Submitted article {i} {Guid.NewGuid():N}",
        Body = $"Submitted body {i}.\n\nA second paragraph with a [link](https://example.com/{i}).",
        Tags = ["dotnet", "bench"],
        CanonicalUrl = new Uri($"https://blog.example.com/submit/{Guid.NewGuid():N}"),
    };

    /// <summary>
    /// One <see cref="IPublicationScheduler.ScheduleManyAsync"/> call (timed) storing <paramref name="count"/> new articles
    /// over 10 accounts, due tomorrow, with the workers running; after untimed calls of <paramref name="warmUp"/> until the JIT has
    /// settled, whose articles are then forgotten (the timed call starts from the tables a single warm-up call left before).
    /// </summary>
    public static async Task<LightResult> HeraldBulkSubmitAsync(LightPlatform platform, string admin, int count, int warmUp)
    {
        await using var database = await BenchDatabase.CreateAsync(admin, postgres: true);
        using var host = HeraldScenarios.Build(database);
        await host.Services.MigrateHeraldDatabaseAsync();
        await host.StartAsync();
        var accounts = Enumerable.Range(0, 10).Select(a => new Account
        {
            Platform = "devto",
            DisplayName = $"light-bulk-{a}",
            BaseUrl = platform.AccountBaseUrl,
            Credentials = new AccountCredentials { ["api_key"] = $"light-bulk-{a}" },
        }).ToArray();
        var when = ScheduleTime.At(DateTimeOffset.UtcNow.AddDays(1));
        List<ScheduleItem> Items(int from, int n) => [.. Enumerable.Range(from, n).Select(i => new ScheduleItem(SubmittedArticle(i), [accounts[i % accounts.Length]], when))];

        // Rounds of one call, each of the next warmUp articles.
        var calls = await WarmUpCallsAsync("ScheduleManyAsync", 1, call => ScheduleManyAsync(host.Services, Items(call * warmUp, warmUp)));
        await BenchDatabase.ForgetArticlesAsync(host.Services);
        var items = Items(calls * warmUp, count);
        var cost = ProcessCost.Start();
        var clock = Stopwatch.StartNew();
        await ScheduleManyAsync(host.Services, items);
        var submit = count / clock.Elapsed.TotalSeconds;
        Console.WriteLine(cost.Line("ScheduleManyAsync", count) + $"; {clock.ElapsedMilliseconds} ms in all");
        await host.StopAsync();
        return new LightResult($"Herald, PostgreSQL: {count:N0} publications in one ScheduleManyAsync call (rate is publications/s)", count, submit, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, null, null, null);
    }

    private static async Task ScheduleManyAsync(IServiceProvider services, List<ScheduleItem> items)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IPublicationScheduler>().ScheduleManyAsync(items);
    }

    /// <summary>
    /// A warm worker (rounds of <paramref name="warmUp"/> articles until its JIT has settled), then <paramref name="count"/> publications
    /// stored due at one instant about 5 s ahead and the dispatchers told, as the scheduler tells them.
    /// </summary>
    public static async Task<LightResult> HeraldWarmLatenessAsync(LightPlatform platform, string admin, int count, int warmUp)
    {
        await using var database = await BenchDatabase.CreateAsync(admin, postgres: true);
        using var host = HeraldScenarios.Build(database);
        await host.Services.MigrateHeraldDatabaseAsync();
        await host.StartAsync();
        await platform.ResetAsync();
        // Rounds of warmUp publications until the JIT has settled, as in a long-running worker. Each is due half a
        // second ahead, so it is claimed ahead, held and released at its instant: the path a scheduled post takes.
        var accounts = await BenchDatabase.AddAccountsAsync(host.Services, platform.AccountBaseUrl, null, Math.Max(1, count / 10));
        Console.WriteLine("  warm worker: " + await JitWarmUp.UntilSettledAsync(
            () => PublishRoundAsync(host, platform, warmUp, accounts, DateTimeOffset.UtcNow.AddMilliseconds(500)),
            TimeSpan.FromSeconds(90)));

        var due = WholeSecond(DateTimeOffset.UtcNow.AddSeconds(5));
        await BenchDatabase.SeedAsync(host.Services, accounts, count, due);
        await host.Services.GetRequiredService<IDueNotifier>().NotifyAsync();
        await platform.WaitForAsync(count);
        await host.StopAsync();
        return await platform.MeasureAsync($"Herald, PostgreSQL: {count:N0} due at one instant (warm worker)", count, double.NaN, due);
    }

    /// <summary>
    /// A cold worker: <paramref name="count"/> publications stored due at one instant, then a fresh <c>herald work</c>
    /// process started about 10 s before it (the CLI's build output, configured through the environment).
    /// </summary>
    public static async Task<LightResult> HeraldColdLatenessAsync(LightPlatform platform, string admin, int count)
    {
        await using var database = await BenchDatabase.CreateAsync(admin, postgres: true);
        DateTimeOffset due;
        using (var host = HeraldScenarios.Build(database))
        {
            await host.Services.MigrateHeraldDatabaseAsync();
            await platform.ResetAsync();
            var ids = await BenchDatabase.SeedAsync(host.Services, platform.AccountBaseUrl, null, count, Math.Max(1, count / 10), DateTimeOffset.UtcNow.AddDays(1));
            due = WholeSecond(DateTimeOffset.UtcNow.AddSeconds(11));
            await BenchDatabase.MakeDueAsync(host.Services, ids, due);
        }

        // HERALD_BENCH_COLD_LOG=path keeps the worker's own output, each line with the time it arrived, to see where its
        // first seconds go.
        var log = Environment.GetEnvironmentVariable("HERALD_BENCH_COLD_LOG") is { Length: > 0 } path ? TextWriter.Synchronized(new StreamWriter(path)) : null;
        var info = new ProcessStartInfo("dotnet", log is null ? [BenchPaths.HeraldCli, "work", "--quiet"] : [BenchPaths.HeraldCli, "work"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Herald__Database"] = database.ConnectionString;
        info.Environment["Herald__CredentialKey"] = HeraldScenarios.Key;
        info.Environment["Herald__RateLimits__Enabled"] = "false";
        using var worker = Process.Start(info)!;
        void Keep(string? line)
        {
            if (line is not null)
            {
                log?.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} ({(DateTimeOffset.UtcNow - due).TotalMilliseconds:+0;-0} ms) {line}");
            }
        }

        worker.OutputDataReceived += (_, e) => Keep(e.Data);
        worker.ErrorDataReceived += (_, e) => Keep(e.Data);
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        Console.WriteLine($"  cold worker started {(due - DateTimeOffset.UtcNow).TotalSeconds:0.0} s before the due instant");
        try
        {
            await platform.WaitForAsync(count);
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
            log?.Dispose();
        }

        return await platform.MeasureAsync($"Herald, PostgreSQL: {count:N0} due at one instant (cold `herald work`, started 10 s before)", count, double.NaN, due);
    }

    /// <summary>
    /// Calls <paramref name="call"/> with 0, 1, 2, … one after another, in rounds of <paramref name="round"/> until the
    /// JIT has settled (60 s at most), and prints how long that took; returns the next unused number.
    /// </summary>
    private static async Task<int> WarmUpCallsAsync(string who, int round, Func<int, Task> call)
    {
        var next = 0;
        Console.WriteLine($"  {who}: " + await JitWarmUp.UntilSettledAsync(
            async () =>
            {
                for (var end = next + round; next < end; next++)
                {
                    await call(next);
                }
            },
            TimeSpan.FromSeconds(60)));
        return next;
    }

    /// <summary>One warm-up round: <paramref name="count"/> publications due at <paramref name="due"/>, published, then forgotten by the platform.</summary>
    private static async Task PublishRoundAsync(IHost host, LightPlatform platform, int count, IReadOnlyList<Account> accounts, DateTimeOffset due)
    {
        await BenchDatabase.SeedAsync(host.Services, accounts, count, due);
        await host.Services.GetRequiredService<IDueNotifier>().NotifyAsync();
        await platform.WaitForAsync(count);
        await platform.ResetAsync();
    }

    private static DateTimeOffset WholeSecond(DateTimeOffset at) => new(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
