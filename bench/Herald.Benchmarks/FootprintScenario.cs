using System.Diagnostics;
using Herald.Sandbox.Hosting;
using Herald.Workers;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Herald.Benchmarks;

/// <summary>
/// What waiting work costs: the dispatcher's wake-up (an empty claim plus the next-wake query) with 1,000 and
/// with 100,000 future publications, and the resident memory of a <c>herald work</c> process beside 100,000.
/// </summary>
internal static class FootprintScenario
{
    public sealed record Footprint(double WakeMsAt1k, double WakeMsAt100k, long RssMb, string Plan);

    public static async Task<Footprint> RunAsync(string admin, int large)
    {
        await using var database = await BenchDatabase.CreateAsync(admin, postgres: true);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { DisableRateLimits = true });
        using var host = HeraldScenarios.Build(database);
        await host.Services.MigrateHeraldDatabaseAsync();
        var future = DateTimeOffset.UtcNow.AddDays(1);
        await BenchDatabase.SeedAsync(host.Services, sandbox, 1000, 10, future);
        var queue = host.Services.GetRequiredService<IPublicationQueue>();
        var at1k = await WakeCostAsync(queue);
        await BenchDatabase.SeedAsync(host.Services, sandbox, large - 1000, 100, future);
        await using (var analyze = new NpgsqlConnection(database.ConnectionString))
        {
            await analyze.OpenAsync();
            await using var command = new NpgsqlCommand("ANALYZE publications", analyze);
            await command.ExecuteNonQueryAsync();
        }

        var at100k = await WakeCostAsync(queue);
        var plan = await PlanAsync(database.ConnectionString);
        var rss = await WorkerRssAsync(database.ConnectionString, host.Services);
        return new Footprint(at1k, at100k, rss, plan);
    }

    private static async Task<double> WakeCostAsync(IPublicationQueue queue)
    {
        const int Rounds = 300;
        for (var i = 0; i < 20; i++)
        {
            await OneWakeAsync(queue);
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Rounds; i++)
        {
            await OneWakeAsync(queue);
        }

        return clock.Elapsed.TotalMilliseconds / Rounds;
    }

    private static async Task OneWakeAsync(IPublicationQueue queue)
    {
        var now = DateTimeOffset.UtcNow;
        await queue.ClaimDueAsync(25, now, now.AddMinutes(5), "bench-probe");
        await queue.NextWakeAsync();
    }

    private static async Task<string> PlanAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + Herald.Storage.Queue.PostgresPublicationQueuePlans.NextWake, connection);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    /// <summary>Starts <c>herald work</c> on the database, lets it settle, and reads its VmRSS.</summary>
    private static async Task<long> WorkerRssAsync(string connectionString, IServiceProvider services)
    {
        var info = new ProcessStartInfo("dotnet", [BenchPaths.HeraldCli, "work", "--quiet"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["Herald__Database"] = connectionString;
        info.Environment["Herald__CredentialKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Task.Delay(TimeSpan.FromSeconds(20));
        var kb = ProcessStatus.Kb(process.Id, "VmRSS:");
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        _ = services;
        return kb / 1024;
    }
}
