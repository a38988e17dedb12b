using Herald.Sandbox.Hosting;
using Herald.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Benchmarks;

/// <summary>Herald's own workers (dispatcher + Hangfire), composed as <c>herald work</c> composes them.</summary>
internal static class HeraldScenarios
{
    internal static readonly string Key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static IHost Build(BenchDatabase database, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["Herald:RateLimits:Enabled"] = "false" };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        // Herald__Workers__BatchSize=… and friends in the environment tune the run.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).AddEnvironmentVariables().Build();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddConsole());
        builder.Services.AddHerald().AddDevTo();
        builder.Services.AddHeraldStorage(database.ConnectionString, Key);
        builder.Services.AddHeraldJobs(configuration);
        return builder.Build();
    }

    /// <summary>
    /// A warm worker (it has published <paramref name="warmUp"/> first, as a long-running worker has), then
    /// <paramref name="count"/> publications over <paramref name="accounts"/> accounts all due at once; creates per
    /// second from the first arrival to the last.
    /// </summary>
    public static async Task<Result> ThroughputAsync(string name, string admin, bool postgres, int count, int accounts, int warmUp)
    {
        await using var database = await BenchDatabase.CreateAsync(admin, postgres);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { DisableRateLimits = true });
        using var host = Build(database);
        await host.Services.MigrateHeraldDatabaseAsync();
        await BenchDatabase.SeedAsync(host.Services, sandbox, warmUp, accounts, DateTimeOffset.UtcNow);
        var ids = await BenchDatabase.SeedAsync(host.Services, sandbox, count, accounts, DateTimeOffset.UtcNow.AddDays(1));
        await host.StartAsync();
        await Wait.ForCreatesAsync(sandbox, warmUp, TimeSpan.FromMinutes(10));
        sandbox.Requests.Clear();

        Console.WriteLine($"{name}: warm; measuring {count:N0} publications due now");
        await BenchDatabase.MakeDueAsync(host.Services, ids, DateTimeOffset.UtcNow);
        await host.Services.GetRequiredService<IDueNotifier>().NotifyAsync();
        var creates = await Wait.ForCreatesAsync(sandbox, count, TimeSpan.FromMinutes(10));
        await host.StopAsync();
        return Result.Throughput(name, creates);
    }

    /// <summary>Workers running, warm and idle; <paramref name="count"/> publications due at one instant a few seconds ahead.</summary>
    public static async Task<Result> LatenessAsync(string name, string admin, bool postgres, int count)
    {
        await using var database = await BenchDatabase.CreateAsync(admin, postgres);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { DisableRateLimits = true });
        using var host = Build(database);
        await host.Services.MigrateHeraldDatabaseAsync();
        await host.StartAsync();
        // Warm, as a long-running worker is: rounds of 200 publications until the JIT has settled, each due half a
        // second ahead, so it is claimed ahead, held and released at its instant, as a scheduled post is.
        Console.WriteLine($"  {name}: " + await JitWarmUp.UntilSettledAsync(
            async () =>
            {
                await BenchDatabase.SeedAsync(host.Services, sandbox, 200, 10, DateTimeOffset.UtcNow.AddMilliseconds(500));
                await host.Services.GetRequiredService<IDueNotifier>().NotifyAsync();
                await Wait.ForCreatesAsync(sandbox, 200, TimeSpan.FromMinutes(5));
                sandbox.Requests.Clear();
            },
            TimeSpan.FromSeconds(90)));

        var due = DateTimeOffset.UtcNow.AddSeconds(5);
        due = new DateTimeOffset(due.Ticks - (due.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        await BenchDatabase.SeedAsync(host.Services, sandbox, count, Math.Max(1, count / 10), due);
        // Seeded behind Herald's back: tell the dispatchers, as the scheduler does after it stores a publication.
        await host.Services.GetRequiredService<IDueNotifier>().NotifyAsync();
        var creates = await Wait.ForCreatesAsync(sandbox, count, TimeSpan.FromMinutes(5));
        await host.StopAsync();
        return Result.Lateness(name, creates, due);
    }
}
