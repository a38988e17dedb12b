using System.Globalization;
using Herald.Benchmarks;

// One run of every scenario (docs/benchmarks.md). PostgreSQL from HERALD_TEST_POSTGRES (scripts/start-postgres.sh).
// `--quick` runs a tenth of the sizes, to check the harness itself.
var admin = Environment.GetEnvironmentVariable("HERALD_TEST_POSTGRES")
    ?? throw new InvalidOperationException("Set HERALD_TEST_POSTGRES: eval \"$(bash scripts/start-postgres.sh | grep '^export ')\"");
var scale = args.Contains("--quick") ? 10 : 1;
int N(int n) => Math.Max(10, n / scale);

var results = new List<Result>();
void Report(Result r)
{
    results.Add(r);
    Console.WriteLine(Row(r));
}

Console.WriteLine($"Herald benchmark {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
if (args.Contains("--herald-only"))
{
    Console.WriteLine(Row(await HeraldScenarios.ThroughputAsync("Herald, PostgreSQL", admin, postgres: true, N(10_000), 100, N(1_000))));
    return;
}

if (args.Contains("--floor-only"))
{
    Console.WriteLine(Row(await BaselineScenarios.NoQueueAsync(admin, N(10_000), N(1_000))));
    return;
}

Report(await BaselineScenarios.NoQueueAsync(admin, N(10_000), N(1_000)));
Report(await HeraldScenarios.ThroughputAsync("Herald, PostgreSQL (10,000 due now, 100 accounts)", admin, postgres: true, N(10_000), 100, N(1_000)));
Report(await HeraldScenarios.ThroughputAsync("Herald, embedded SQLite + in-memory Hangfire (10,000 due now)", admin, postgres: false, N(10_000), 100, N(1_000)));
Report(await HeraldScenarios.LatenessAsync("Herald, PostgreSQL: 100 due at one instant", admin, postgres: true, N(100)));
Report(await HeraldScenarios.LatenessAsync("Herald, PostgreSQL: 1,000 due at one instant", admin, postgres: true, N(1_000)));
Report(await HeraldScenarios.LatenessAsync("Herald, embedded: 100 due at one instant", admin, postgres: false, N(100)));
Report(await HeraldScenarios.LatenessAsync("Herald, embedded: 1,000 due at one instant", admin, postgres: false, N(1_000)));
Report(await BaselineScenarios.PlainHangfireThroughputAsync(admin, N(args.Contains("--full-baseline") ? 10_000 : 5_000), N(500)));
Report(await BaselineScenarios.PlainHangfireLatenessAsync(admin, N(1_000)));
var footprint = await FootprintScenario.RunAsync(admin, N(100_000));

Console.WriteLine();
Console.WriteLine("| Scenario | Publications | Publications/s | Lateness p50 | p99 | max |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
foreach (var r in results)
{
    Console.WriteLine(Row(r));
}

Console.WriteLine();
Console.WriteLine($"Dispatcher wake-up (empty claim + next-wake query): {footprint.WakeMsAt1k:0.000} ms with {N(1_000):N0} future publications, " +
    $"{footprint.WakeMsAt100k:0.000} ms with {N(100_000):N0}.");
Console.WriteLine($"`herald work` resident memory beside {N(100_000):N0} pending future publications: {footprint.RssMb} MB.");
Console.WriteLine("Next-wake plan at the larger size:");
Console.WriteLine(footprint.Plan);

static string Row(Result r) => string.Create(CultureInfo.InvariantCulture,
    $"| {r.Name} | {r.Count:N0} | {Cell(r.PerSecond, "0")} | {Cell(r.P50Ms, "0 ms")} | {Cell(r.P99Ms, "0 ms")} | {Cell(r.MaxMs, "0 ms")} |");

static string Cell(double value, string format) => double.IsNaN(value) ? "" : value.ToString(format, CultureInfo.InvariantCulture);
