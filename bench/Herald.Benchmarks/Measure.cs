using System.Diagnostics;
using System.Globalization;
using Herald.Sandbox.Hosting;

namespace Herald.Benchmarks;

/// <summary>What one scenario measured at the sandbox: how fast the creates arrived, or how late after their due instant.</summary>
internal sealed record Result(string Name, int Count, double PerSecond, double P50Ms, double P99Ms, double MaxMs)
{
    public static Result Throughput(string name, IReadOnlyList<RecordedRequest> creates)
    {
        var first = creates.Min(r => r.ReceivedAt);
        var last = creates.Max(r => r.ReceivedAt);
        return new Result(name, creates.Count, creates.Count / Math.Max((last - first).TotalSeconds, 0.001), double.NaN, double.NaN, double.NaN);
    }

    public static Result Lateness(string name, IReadOnlyList<RecordedRequest> creates, DateTimeOffset due)
    {
        var late = creates.Select(r => (r.ReceivedAt - due).TotalMilliseconds).Order().ToList();
        return new Result(name, creates.Count, double.NaN, Percentile(late, 0.50), Percentile(late, 0.99), late[^1]);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

internal static class Wait
{
    /// <summary>Waits until the sandbox has accepted <paramref name="count"/> creates; returns them.</summary>
    public static async Task<IReadOnlyList<RecordedRequest>> ForCreatesAsync(SandboxServer sandbox, int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var creates = sandbox.Requests.For("devto").Where(r => r.Method == "POST" && r.Accepted).ToList();
            if (creates.Count >= count)
            {
                return creates;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Only {creates.Count} of {count} creates arrived in {timeout}.");
            }

            await Task.Delay(50);
        }
    }
}

/// <summary>
/// Warms code until the JIT has settled: tiered compilation recompiles hot methods in the background for many seconds
/// on 2 busy cores, so a process that has served a handful is not yet the warm one a long-running process is. Runs
/// <c>round</c> until two rounds in a row spent under 2% of their time compiling (all threads), or until <c>most</c> has
/// passed.
/// </summary>
internal static class JitWarmUp
{
    /// <summary>Warms code in this process (its JIT time from <see cref="System.Runtime.JitInfo"/>).</summary>
    public static Task<string> UntilSettledAsync(Func<Task> round, TimeSpan most) =>
        UntilSettledAsync(round, () => Task.FromResult<TimeSpan?>(System.Runtime.JitInfo.GetCompilationTime()), most);

    /// <summary>
    /// Warms code in the process whose JIT time so far <paramref name="compiled"/> reads; when it cannot be read (null),
    /// one round is all the warm-up.
    /// </summary>
    public static async Task<string> UntilSettledAsync(Func<Task> round, Func<Task<TimeSpan?>> compiled, TimeSpan most)
    {
        var started = Stopwatch.StartNew();
        var (rounds, calm) = (0, 0);
        var before = await compiled();
        while (true)
        {
            var roundStarted = Stopwatch.StartNew();
            await round();
            rounds++;
            var after = await compiled();
            if (before is null || after is null)
            {
                return $"warmed in one round, {started.Elapsed.TotalSeconds:0} s (the JIT's time could not be read)";
            }

            var share = (after.Value - before.Value) / roundStarted.Elapsed;
            before = after;
            calm = share < 0.02 ? calm + 1 : 0;
            if (calm == 2 || started.Elapsed >= most)
            {
                return $"warmed in {rounds} rounds, {started.Elapsed.TotalSeconds:0} s; the JIT took {share:P1} of the last round";
            }
        }
    }
}

/// <summary>
/// What this process spent between <see cref="Start"/> and <see cref="Line"/>: CPU time, bytes allocated and garbage
/// collections, per publication — the floor and Herald's worker run in this process one after the other, so each
/// reading is one contender's (and the harness's waiting, which is small). With PostgreSQL on this machine, also the
/// CPU its processes spent meanwhile: on two shared cores, the process's and the server's together are what a
/// publication costs (they move with the other tenants' load too, but less than a rate does).
/// </summary>
internal readonly record struct ProcessCost(TimeSpan Cpu, long Allocated, int Gen0, int Gen1, int Gen2, TimeSpan Paused, TimeSpan? Server)
{
    public static ProcessCost Start() => new(
        Environment.CpuUsage.TotalTime, GC.GetTotalAllocatedBytes(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
        GC.GetTotalPauseDuration(), PostgresCpu());

    public string Line(string who, int publications)
    {
        var now = Start();
        var server = now.Server - Server is { } spent ? $"; PostgreSQL {spent.TotalMilliseconds * 1000 / publications:0} µs CPU a publication" : "";
        return $"  {who}: {(now.Cpu - Cpu).TotalMilliseconds * 1000 / publications:0} µs CPU and {(now.Allocated - Allocated) / publications / 1024.0:0.0} KB " +
            $"allocated a publication; collections {now.Gen0 - Gen0}/{now.Gen1 - Gen1}/{now.Gen2 - Gen2} (gen0/1/2), " +
            $"paused {(now.Paused - Paused).TotalMilliseconds:0} ms{server}";
    }

    /// <summary>
    /// CPU time of every process named <c>postgres</c> here (user and system), with what the server's exited children
    /// spent (counted on the process that waited for them); none when no such process is visible.
    /// </summary>
    private static TimeSpan? PostgresCpu()
    {
        const double TicksPerSecond = 100; // USER_HZ, which Linux fixes at 100 for /proc
        long ticks = 0;
        var seen = false;
        foreach (var directory in Directory.Exists("/proc") ? Directory.EnumerateDirectories("/proc") : [])
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // it exited
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // pid (comm) state ppid … utime stime cutime cstime: fields 14 to 17, counted from the pid.
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open || stat[(open + 1)..close] != "postgres")
            {
                continue;
            }

            var fields = stat[(close + 2)..].Split(' ');
            ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            seen = true;
        }

        return seen ? TimeSpan.FromSeconds(ticks / TicksPerSecond) : null;
    }
}
