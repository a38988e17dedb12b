using System.Globalization;
using Herald.Benchmarks;

// One run of every scenario (docs/benchmarks.md). PostgreSQL from HERALD_TEST_POSTGRES (scripts/start-postgres.sh).
// `--quick` runs a tenth of the sizes, to check the harness itself; `--light` runs the contenders against a light
// platform in its own process instead of the in-process sandbox; `--api` loads the REST API of `herald serve`;
// `--dashboard` times the dashboard's pages with 100,000 publications stored; `--footprint-only` the dispatcher's
// wake-up and `herald work`'s memory beside 100,000 pending; `--images DIR` writes the large images of the
// worker-memory run (bench/images/memory.sh).
if (args is ["--images", var imageDirectory])
{
    LargeImages.Write(imageDirectory);
    return;
}

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
if (args.Contains("--light"))
{
    await RunLightAsync();
    return;
}

if (args.Contains("--api"))
{
    var api = await ApiScenario.RunAsync(admin, N(100_000), TimeSpan.FromSeconds(scale == 1 ? 30 : 10), line => Console.WriteLine($"  {line}"));
    Console.WriteLine();
    Console.WriteLine("| Load | Clients | Requests | Failed | Requests/s | p50 | p99 | max | server CPU / request | PostgreSQL CPU / request |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var load in new[] { api.Posts, api.Pages })
    {
        Console.WriteLine($"| {load.Name} | {load.Clients} | {load.Requests:N0} | {load.Failures:N0} | {load.PerSecond:N0} | {load.P50Ms:0.0} ms | {load.P99Ms:0.0} ms | {load.MaxMs:0.0} ms | {Cpu(load.ServerCpuMs)} | {Cpu(load.PostgresCpuMs)} |");
    }

    Console.WriteLine($"Publications stored during the reads: {api.Stored:N0}. Server resident memory, highest seen: {api.PeakRssMb} MB.");
    return;
}

if (args.Contains("--dashboard"))
{
    var dashboard = await DashboardScenario.RunAsync(admin, N(100_000), TimeSpan.FromSeconds(scale == 1 ? 15 : 5), line => Console.WriteLine($"  {line}"));
    Console.WriteLine();
    Console.WriteLine($"{dashboard.Stored:N0} publications stored; one client at a time; server resident memory, highest seen: {dashboard.PeakRssMb} MB.");
    Console.WriteLine();
    Console.WriteLine("| Page | Requests | Failed | p50 | p99 | max |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    foreach (var page in dashboard.Pages)
    {
        Console.WriteLine($"| {page.Name} | {page.Requests:N0} | {page.Failures:N0} | {page.P50Ms:0.0} ms | {page.P99Ms:0.0} ms | {page.MaxMs:0.0} ms |");
    }

    return;
}

if (args.Contains("--herald-only"))
{
    Console.WriteLine(Row(await HeraldScenarios.ThroughputAsync("Herald, PostgreSQL", admin, postgres: true, N(10_000), 100, N(1_000))));
    return;
}

if (args.Contains("--lateness-only"))
{
    Console.WriteLine(Row(await HeraldScenarios.LatenessAsync("Herald, PostgreSQL: 100 due at one instant", admin, postgres: true, N(100))));
    Console.WriteLine(Row(await HeraldScenarios.LatenessAsync("Herald, PostgreSQL: 1,000 due at one instant", admin, postgres: true, N(1_000))));
    return;
}

if (args.Contains("--footprint-only"))
{
    PrintFootprint(await FootprintScenario.RunAsync(admin, N(100_000)));
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

PrintFootprint(footprint);

void PrintFootprint(FootprintScenario.Footprint footprint)
{
    Console.WriteLine();
    Console.WriteLine($"Dispatcher wake-up (empty claim + next-wake query): {footprint.WakeMsAt1k:0.000} ms with {N(1_000):N0} future publications, " +
        $"{footprint.WakeMsAt100k:0.000} ms with {N(100_000):N0}.");
    Console.WriteLine($"`herald work` resident memory beside {N(100_000):N0} pending future publications: {footprint.RssMb} MB.");
    Console.WriteLine("Next-wake plan at the larger size:");
    Console.WriteLine(footprint.Plan);
}

// `--light`: every contender against bench/Herald.LightPlatform in its own process (docs/benchmarks.md,
// "Against a light platform in its own process"), then the ratios within this run.
async Task RunLightAsync()
{
    await using var platform = await LightPlatform.StartAsync();
    Console.WriteLine($"Light platform at {platform.Address}");
    var light = new List<LightResult>();
    void Add(LightResult r)
    {
        light.Add(r);
        Console.WriteLine(LightRow(r));
    }

    // `--only floor,submit,…` runs some of the scenarios (while working on one of them); the ratios need floor and herald.
    var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',') ?? [];
    bool Runs(string name) => only.Length == 0 || only.Contains(name);
    LightResult? floor = null, hangfire = null, herald = null;
    if (Runs("hangfire"))
    {
        hangfire = await LightScenarios.HangfireThroughputAsync(platform, admin, N(5_000), N(500));
        Add(hangfire);
        Add(await LightScenarios.HangfireLatenessAsync(platform, admin, N(1_000)));
    }

    // The floor right before Herald: the two whose ratio is reported run back to back, on a cluster in the same state
    // (the Hangfire scenarios' writes leave PostgreSQL checkpointing and vacuuming for a while after them).
    if (Runs("floor"))
    {
        floor = await LightScenarios.FloorAsync(platform, admin, N(10_000), N(1_000));
        Add(floor);
    }

    if (Runs("herald"))
    {
        herald = await LightScenarios.HeraldThroughputAsync(platform, admin, N(10_000), N(1_000));
        Add(herald);
    }

    if (Runs("submit"))
    {
        Add(await LightScenarios.HeraldSubmitAsync(platform, admin, N(2_000), N(1_000)));
    }

    if (Runs("bulk"))
    {
        Add(await LightScenarios.HeraldBulkSubmitAsync(platform, admin, N(10_000), N(1_000)));
    }

    if (Runs("warm"))
    {
        Add(await LightScenarios.HeraldWarmLatenessAsync(platform, admin, N(100), N(100)));
        Add(await LightScenarios.HeraldWarmLatenessAsync(platform, admin, N(1_000), N(100)));
    }

    if (Runs("cold"))
    {
        Add(await LightScenarios.HeraldColdLatenessAsync(platform, admin, N(1_000)));
    }

    Console.WriteLine();
    Console.WriteLine("| Scenario | Publications | Submit calls/s | Processing/s | Lateness first | p50 | p99 | max | Early | Duplicates | Missing |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var r in light)
    {
        Console.WriteLine(LightRow(r));
    }

    Console.WriteLine();
    if (herald is not null && floor is not null)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Processing, within this run: Herald ÷ floor = {herald.PerSecond / floor.PerSecond:0.00}×"));
    }

    if (herald is not null && hangfire is not null)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Processing, within this run: Herald ÷ Hangfire + PostgreSQL = {herald.PerSecond / hangfire.PerSecond:0.00}×"));
    }
}

static string LightRow(LightResult r) => string.Create(CultureInfo.InvariantCulture,
    $"| {r.Name} | {r.Count:N0} | {Cell(r.SubmitPerSecond, "0")} | {Cell(r.PerSecond, "0")} | {Cell(r.FirstMs, "0 ms")} | {Cell(r.P50Ms, "0 ms")} | {Cell(r.P99Ms, "0 ms")} | {Cell(r.MaxMs, "0 ms")} | {r.Early} | {r.Duplicates} | {r.Missing} |");

static string Row(Result r) => string.Create(CultureInfo.InvariantCulture,
    $"| {r.Name} | {r.Count:N0} | {Cell(r.PerSecond, "0")} | {Cell(r.P50Ms, "0 ms")} | {Cell(r.P99Ms, "0 ms")} | {Cell(r.MaxMs, "0 ms")} |");

static string Cell(double value, string format) => double.IsNaN(value) ? "" : value.ToString(format, CultureInfo.InvariantCulture);

static string Cpu(double ms) => double.IsNaN(ms) ? "n/a" : ms.ToString("0.00 'ms'", CultureInfo.InvariantCulture);
