using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Herald.Chaos;
using Herald.Publications;
using Herald.Sandbox.Hosting;
using Herald.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// The chaos soak (docs/reliability.md, "Chaos soak"): seed through the scheduler, run `herald work` processes
// against a faulty standalone sandbox, kill / stop / skew them and restart PostgreSQL, then compare.
ChaosOptions options;
try
{
    options = ChaosOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}

var admin = Environment.GetEnvironmentVariable("HERALD_TEST_POSTGRES");
if (string.IsNullOrEmpty(admin))
{
    Console.Error.WriteLine("error: HERALD_TEST_POSTGRES: must name the PostgreSQL to create the soak's database in (bash bench/chaos/run.sh sets it from scripts/start-postgres.sh)");
    return 2;
}

var repo = Environment.GetEnvironmentVariable("HERALD_REPO") ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
var cli = Environment.GetEnvironmentVariable("HERALD_CLI_DLL") ?? Path.Combine(repo, "src", "Herald.Cli", "bin", "Release", "net10.0", "herald.dll");
if (!File.Exists(cli))
{
    Console.Error.WriteLine($"error: HERALD_CLI_DLL: '{cli}' does not exist; build it first (dotnet build src/Herald.Cli -c Release)");
    return 2;
}

var clock = TimeProvider.System;
var stamp = clock.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
var outFile = options.Out ?? Path.Combine(repo, "bench", "chaos", "results", $"chaos-{stamp}{(options.Quick ? "-quick" : "")}.md");
var logs = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outFile))!, $"logs-{stamp}");
Directory.CreateDirectory(logs);
var log = new ChaosLog();
var total = Stopwatch.StartNew();
void Event(string text)
{
    var line = $"{total.Elapsed:hh\\:mm\\:ss} {text}";
    lock (log.Events)
    {
        log.Events.Add(line);
    }

    Console.WriteLine(line);
}

// A fresh database per run.
var database = $"herald_chaos_{stamp.Replace("-", "_", StringComparison.Ordinal)}";
await using (var connection = new NpgsqlConnection(admin))
{
    await connection.OpenAsync();
    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
    await create.ExecuteNonQueryAsync();
}

var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database, MaxPoolSize = 8 }.ConnectionString;
Event($"database {database}; logs in {logs}");

// The same settings for the seeder (in memory) and the workers (environment variables).
var settings = new Dictionary<string, string>
{
    ["Herald:Database"] = connectionString,
    ["Herald:CredentialKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
    ["Herald:MaxRetries"] = "10",
    ["Herald:Retry:BaseDelay"] = "00:00:01",
    ["Herald:Retry:MaxDelay"] = "00:00:10",
    ["Herald:RateLimits:Enabled"] = "false",
    ["Herald:Workers:LeaseDuration"] = options.LeaseDuration.ToString("c", CultureInfo.InvariantCulture),
    ["Herald:Workers:AttemptTimeout"] = options.AttemptTimeout.ToString("c", CultureInfo.InvariantCulture),
    ["Herald:Workers:SafetyPoll"] = "00:00:02",
    ["Herald:DevTo:Timeout"] = "00:00:05",
    ["Herald:Threads:Timeout"] = "00:00:05",
};
var environment = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);

using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
var faults = new SandboxFaults
{
    ServerErrorRate = options.ServerErrorRate,
    ServerErrorAfterCommitRate = options.ServerErrorAfterCommitRate,
    RateLimitRate = options.RateLimitRate,
    RetryAfterSeconds = 1,
    DropAfterAcceptRate = options.DropAfterAcceptRate,
    SlowAfterCommitRate = options.SlowAfterCommitRate,
    SlowAfterCommitDelay = options.SlowAfterCommitDelay,
};
await using var sandbox = new SandboxProcess(cli, Path.Combine(logs, "sandbox.log"));
await sandbox.StartAsync(FreePort(), JsonSerializer.Serialize(faults, JsonSerializerOptions.Web), options.Seed, http, CancellationToken.None);
Event($"sandbox at {sandbox.BaseAddress} with --no-rate-limits and {JsonSerializer.Serialize(faults, JsonSerializerOptions.Web)}");

var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings!).Build();
var services = new ServiceCollection();
services.AddLogging();
services.AddHerald(o => o.MaxRetries = 10).AddX().AddMedium().AddMastodon().AddBluesky().AddThreads();
// Herald binds its settings (retry, rate limits, platforms) from the host's configuration.
services.AddSingleton<IConfiguration>(configuration);
services.AddHeraldStorage(connectionString, settings["Herald:CredentialKey"]);
await using var provider = services.BuildServiceProvider();
await provider.MigrateHeraldDatabaseAsync();

var random = new Random(options.Seed);
var contentCount = (options.Publications + Seeder.Platforms.Length - 1) / Seeder.Platforms.Length;
var seeding = Stopwatch.StartNew();
// The first due time: after seeding (about 0.2 s a content on a busy machine) and the workers' start.
var firstDue = clock.GetUtcNow() + TimeSpan.FromSeconds(20 + (contentCount * 0.2));
var contents = await Seeder.SeedAsync(provider, sandbox.BaseAddress, contentCount, firstDue, options.Spread, random, CancellationToken.None);
log.SeedTime = seeding.Elapsed;
Event($"seeded {contents.Count * Seeder.Platforms.Length:N0} publications ({contents.Count:N0} contents, {contents.Values.Count(c => c.Thread):N0} as threads) in {seeding.Elapsed.TotalSeconds:0.0} s");

var gate = new object();
var workers = Enumerable.Range(1, options.Workers).Select(i => new WorkerProcess(
    i, cli, Path.Combine(logs, $"worker-{i}.log"), environment, i == options.Workers && options.Skew.Length > 0 ? options.Skew : null)).ToList();
// Stopping the harness (Ctrl+C, SIGTERM) must not leave workers behind.
void FinishAll()
{
    lock (gate)
    {
        foreach (var worker in workers)
        {
            worker.Finish();
        }
    }
}

void Abandon(System.Runtime.InteropServices.PosixSignalContext _)
{
    FinishAll();
    sandbox.Kill();
}

using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Abandon);
using var onInt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Abandon);
var running = Stopwatch.StartNew();
try
{
    foreach (var worker in workers)
    {
        worker.Start();
        Event($"worker {worker.Index} started (pid {worker.Pid}{(worker.Skew is null ? "" : $", clock {worker.Skew}")})");
    }
}
catch
{
    // One worker could not start (no libfaketime for --skew): the ones already started must not outlive the run.
    FinishAll();
    sandbox.Kill();
    throw;
}

using var chaos = new CancellationTokenSource();
var stopDone = options.Calm;
var restartDone = options.Calm || options.PostgresRestartAt <= TimeSpan.Zero;

TimeSpan UntilFirstDue() => firstDue > clock.GetUtcNow() ? firstDue - clock.GetUtcNow() : TimeSpan.Zero;

async Task KillerAsync(CancellationToken token)
{
    while (!token.IsCancellationRequested)
    {
        var wait = options.KillMin + (options.KillMax - options.KillMin) * random.NextDouble();
        await Task.Delay(wait, token);
        WorkerProcess victim;
        lock (gate)
        {
            var candidates = workers.Where(w => !w.Stopped && w.Uptime >= options.MinUptime).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            victim = candidates[random.Next(candidates.Count)];
            victim.Kill();
            log.Kills++;
        }

        Event($"SIGKILL worker {victim.Index}");
        await Task.Delay(500, CancellationToken.None);
        lock (gate)
        {
            victim.Start();
        }

        Event($"worker {victim.Index} restarted (pid {victim.Pid})");
    }
}

async Task StopperAsync(CancellationToken token)
{
    // Chaos meets work: its times count from the first due time, not from the workers' start.
    await Task.Delay(UntilFirstDue() + options.StopFirst, token);
    while (true)
    {
        WorkerProcess victim;
        lock (gate)
        {
            victim = workers[random.Next(workers.Count)];
            victim.Pause();
            log.Stops++;
        }

        var hold = options.LeaseDuration + TimeSpan.FromSeconds(10);
        Event($"SIGSTOP worker {victim.Index} for {hold.TotalSeconds:0} s (lease {options.LeaseDuration.TotalSeconds:0} s)");
        await Task.Delay(hold, CancellationToken.None);
        lock (gate)
        {
            victim.Resume();
        }

        Event($"SIGCONT worker {victim.Index}");
        stopDone = true;
        if (options.StopEvery <= TimeSpan.Zero)
        {
            return;
        }

        await Task.Delay(options.StopEvery, token);
    }
}

async Task PostgresAsync(CancellationToken token)
{
    if (options.PostgresRestartAt <= TimeSpan.Zero)
    {
        return;
    }

    await Task.Delay(UntilFirstDue() + options.PostgresRestartAt, token);
    var cluster = Shell.Run("pg_lsclusters", "-h").Split('\n', StringSplitOptions.RemoveEmptyEntries).First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    Event($"PostgreSQL {cluster[0]}/{cluster[1]} restarting");
    var took = Stopwatch.StartNew();
    Shell.Run("pg_ctlcluster", cluster[0], cluster[1], "restart", "-m", "fast");
    log.PostgresRestarts++;
    restartDone = true;
    Event($"PostgreSQL back after {took.Elapsed.TotalSeconds:0.0} s");
}

async Task<int> PendingAsync()
{
    await using var scope = provider.CreateAsyncScope();
    var scheduler = scope.ServiceProvider.GetRequiredService<IPublicationScheduler>();
    var count = 0;
    foreach (var status in new[] { PublicationStatus.Scheduled, PublicationStatus.RetryScheduled, PublicationStatus.Publishing })
    {
        count += (await scheduler.ListAsync(status, 1_000_000)).Count;
    }

    return count;
}

void Supervise()
{
    // As systemd would: a worker that ended by itself is restarted, and counted.
    lock (gate)
    {
        foreach (var worker in workers.Where(w => !w.Stopped && w.ExitedByItself is not null))
        {
            Event($"worker {worker.Index} exited by itself (code {worker.ExitedByItself}); restarting it");
            log.Exits++;
            worker.Start();
        }
    }
}

var tasks = options.Calm ? [] : new List<Task> { KillerAsync(chaos.Token), StopperAsync(chaos.Token), PostgresAsync(chaos.Token) };
var lastReport = TimeSpan.Zero;
while (running.Elapsed < options.DrainTimeout)
{
    await Task.Delay(TimeSpan.FromSeconds(3));
    Supervise();
    int pending;
    try
    {
        pending = await PendingAsync();
    }
    catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
    {
        // The PostgreSQL restart: the soak's own reads fail too for a moment.
        Event($"(progress read failed: {ex.GetType().Name})");
        continue;
    }

    if (running.Elapsed - lastReport >= TimeSpan.FromSeconds(15))
    {
        lastReport = running.Elapsed;
        Event($"pending {pending:N0}");
    }

    if (pending == 0 && clock.GetUtcNow() > firstDue + options.Spread && stopDone && restartDone)
    {
        log.DrainTime = running.Elapsed;
        Event($"drained: nothing Scheduled, RetryScheduled or Publishing after {running.Elapsed.TotalSeconds:0} s");
        break;
    }
}

await chaos.CancelAsync();
foreach (var task in tasks)
{
    try
    {
        await task;
    }
    catch (OperationCanceledException)
    {
        // The chaos ends with the drain.
    }
}

FinishAll();
Event("workers stopped");

IReadOnlyList<Publication> publications;
await using (var scope = provider.CreateAsyncScope())
{
    publications = await scope.ServiceProvider.GetRequiredService<IPublicationScheduler>().ListAsync(null, 1_000_000);
}

var posts = await http.GetFromJsonAsync<List<SandboxPost>>(new Uri(sandbox.BaseAddress, "_sandbox/posts"), JsonSerializerOptions.Web) ?? [];
var statuses = new Dictionary<int, int>();
await using (var stream = await http.GetStreamAsync(new Uri(sandbox.BaseAddress, "_sandbox/requests")))
{
    await foreach (var request in JsonSerializer.DeserializeAsyncEnumerable<RequestStatus>(stream, JsonSerializerOptions.Web))
    {
        if (request is not null)
        {
            statuses[request.StatusCode] = statuses.GetValueOrDefault(request.StatusCode) + 1;
        }
    }
}

var report = ChaosReport.Build(options, log, publications, contents, posts, statuses, database);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
await File.WriteAllTextAsync(outFile, report.Markdown);
Console.WriteLine();
Console.WriteLine(report.Markdown);
Console.WriteLine($"Report written to {outFile}");

if (!options.KeepDatabase)
{
    NpgsqlConnection.ClearAllPools();
    await using var connection = new NpgsqlConnection(admin);
    await connection.OpenAsync();
    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
    await drop.ExecuteNonQueryAsync();
}

return report.Lost + report.Duplicated + report.OutOfOrder + report.Stuck == 0 ? 0 : 1;

static int FreePort()
{
    using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}

/// <summary>The one field of a recorded request the report counts.</summary>
internal sealed record RequestStatus(int StatusCode);
