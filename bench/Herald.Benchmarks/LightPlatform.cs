using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Herald.Benchmarks;

/// <summary>
/// bench/Herald.LightPlatform run as its own process on a free loopback port: a Dev.to that answers at once, so the
/// measured cost is the contender's, not the fake platform's. Every scenario reads its arrivals from it.
/// </summary>
internal sealed class LightPlatform : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _control;

    private LightPlatform(Process process, Uri address)
    {
        _process = process;
        Address = address;
        _control = new HttpClient { BaseAddress = address };
    }

    /// <summary>The root, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>An account's base URL (the adapter appends <c>articles</c>, as against <c>https://dev.to/api</c>).</summary>
    public Uri AccountBaseUrl => new(Address, "api");

    /// <summary>Where the hand-written loop POSTs (<c>…/api/</c> + <c>articles</c>).</summary>
    public Uri ApiBase => new(Address, "api/");

    public static async Task<LightPlatform> StartAsync()
    {
        var dll = BenchPaths.Sibling("Herald.LightPlatform", "Herald.LightPlatform.dll");
        var info = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var first = await process.StandardOutput.ReadLineAsync(timeout.Token)
            ?? throw new InvalidOperationException($"The light platform ({dll}) exited before it printed its address.");
        return new LightPlatform(process, new Uri(first.TrimEnd('/') + "/"));
    }

    public async Task ResetAsync() => (await _control.PostAsync(new Uri("_light/reset", UriKind.Relative), null)).EnsureSuccessStatusCode();

    public async Task<LightSummary> SummaryAsync() =>
        (await _control.GetFromJsonAsync<LightSummary>(new Uri("_light/summary", UriKind.Relative)))!;

    public async Task<List<LightArrival>> ArrivalsAsync() =>
        (await _control.GetFromJsonAsync<List<LightArrival>>(new Uri("_light/arrivals", UriKind.Relative)))!;

    /// <summary>
    /// Waits until <paramref name="count"/> distinct articles have arrived, or until nothing new arrived for a minute
    /// (what never came is then reported as missing rather than waited for).
    /// </summary>
    public async Task<LightSummary> WaitForAsync(int count)
    {
        var stalled = Stopwatch.StartNew();
        var last = -1;
        while (true)
        {
            var summary = await SummaryAsync();
            if (summary.Distinct >= count || stalled.Elapsed > TimeSpan.FromMinutes(1))
            {
                return summary;
            }

            if (summary.Creates != last)
            {
                last = summary.Creates;
                stalled.Restart();
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// What arrived since the last reset, as one row: the first arrival of each article counts (a later one is a
    /// duplicate); the rate runs from the first arrival to the last, lateness is against <paramref name="due"/>.
    /// </summary>
    public async Task<LightResult> MeasureAsync(string name, int expected, double submitPerSecond, DateTimeOffset? due = null)
    {
        var summary = await SummaryAsync();
        var arrivals = await ArrivalsAsync();
        var firsts = arrivals.GroupBy(a => a.Key).Select(g => g.Min(a => a.At)).Order().ToList();
        var perSecond = firsts.Count == 0 ? double.NaN : firsts.Count / Math.Max((firsts[^1] - firsts[0]).TotalSeconds, 0.001);
        var missing = Math.Max(0, expected - summary.Distinct);
        if (due is not { } at || firsts.Count == 0)
        {
            return new LightResult(name, expected, submitPerSecond, perSecond, double.NaN, double.NaN, double.NaN, double.NaN, null, summary.Duplicates, missing);
        }

        var late = firsts.Select(t => (t - at).TotalMilliseconds).ToList();
        return new LightResult(
            name, expected, submitPerSecond, double.NaN, late[0], Percentile(late, 0.50), Percentile(late, 0.99), late[^1],
            late.Count(ms => ms < 0), summary.Duplicates, missing);
    }

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

internal sealed record LightSummary(
    [property: JsonPropertyName("creates")] int Creates,
    [property: JsonPropertyName("distinct")] int Distinct,
    [property: JsonPropertyName("duplicates")] int Duplicates);

internal sealed record LightArrival(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("at")] DateTimeOffset At);

/// <summary>One row of the light-platform table; NaN where the scenario does not measure that column.</summary>
internal sealed record LightResult(
    string Name, int Count, double SubmitPerSecond, double PerSecond, double FirstMs, double P50Ms, double P99Ms, double MaxMs, int? Early, int? Duplicates, int? Missing);

/// <summary>Where the harness finds the other programs of the build, beside its own output.</summary>
internal static class BenchPaths
{
    /// <summary><c>bench/&lt;project&gt;/bin/&lt;configuration&gt;/net10.0/&lt;file&gt;</c>, the same configuration as this harness.</summary>
    public static string Sibling(string project, string file) => Path.Combine(
        AppContext.BaseDirectory.Replace($"{Path.DirectorySeparatorChar}Herald.Benchmarks{Path.DirectorySeparatorChar}", $"{Path.DirectorySeparatorChar}{project}{Path.DirectorySeparatorChar}", StringComparison.Ordinal),
        file);

    /// <summary>
    /// The <c>herald</c> CLI's build output, for a worker or server in its own process; <c>HERALD_BENCH_CLI</c> names
    /// another <c>herald.dll</c> (a copy of an earlier build, to compare two builds run by run on a noisy machine).
    /// </summary>
    public static string HeraldCli
    {
        get
        {
            var other = Environment.GetEnvironmentVariable("HERALD_BENCH_CLI") is { Length: > 0 } named ? named : null;
            var path = Path.GetFullPath(other ?? Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Herald.Cli", "bin", "Release", "net10.0", "herald.dll"));
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException(other is not null
                    ? $"HERALD_BENCH_CLI names {path}, which does not exist."
                    : $"The worker scenarios run the herald CLI's Release build, and {path} is missing: run `dotnet build Herald.slnx -c Release` first.", path);
        }
    }
}
