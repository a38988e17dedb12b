using System.Diagnostics;
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
