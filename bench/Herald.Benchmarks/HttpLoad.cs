using System.Diagnostics;

namespace Herald.Benchmarks;

/// <summary>One load's result: every latency kept and sorted, so the percentiles are exact.</summary>
internal sealed record LoadResult(
    string Name, int Clients, int Requests, int Failures, double PerSecond, double P50Ms, double P99Ms, double MaxMs, double ServerCpuMs = double.NaN, double PostgresCpuMs = double.NaN);

/// <summary>A closed-loop HTTP load: a fixed number of clients, each awaiting its answer before the next request.</summary>
internal static class HttpLoad
{
    /// <summary>
    /// <paramref name="clients"/> loops, each sending <paramref name="request"/> and awaiting the answer before the next,
    /// for <paramref name="duration"/>. An answer other than <paramref name="expected"/> counts as a failure; <paramref name="read"/>
    /// sees each expected answer's body (to follow a cursor).
    /// </summary>
    public static async Task<LoadResult> RunAsync(
        string name, HttpClient http, int clients, TimeSpan duration, Func<int, HttpRequestMessage> request, int expected, ServerProcess server,
        Action<int, string>? read = null)
    {
        var failures = 0;
        var (serverCpu, postgresCpu) = (ProcessCpu.Of(server.Pid), ProcessCpu.OfPostgres());
        var started = Stopwatch.StartNew();
        using var sampling = new CancellationTokenSource();
        var sampler = server.SampleRssAsync(sampling.Token);
        var loops = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var latencies = new List<double>();
            while (started.Elapsed < duration)
            {
                using var message = request(client);
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(message);
                var body = await response.Content.ReadAsStringAsync();
                var elapsed = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                if ((int)response.StatusCode != expected)
                {
                    if (Interlocked.Increment(ref failures) == 1)
                    {
                        Console.Error.WriteLine($"{name}: HTTP {(int)response.StatusCode}: {body[..Math.Min(400, body.Length)]}");
                    }
                }
                else
                {
                    // Only the answers asked for are timed: a quick redirect or error must not flatter the percentiles.
                    latencies.Add(elapsed);
                    read?.Invoke(client, body);
                }
            }

            return latencies;
        })).ToList();
        var all = (await Task.WhenAll(loops)).SelectMany(l => l).Order().ToList();
        var elapsed = started.Elapsed;
        (serverCpu, postgresCpu) = (ProcessCpu.Of(server.Pid) - serverCpu, ProcessCpu.OfPostgres() - postgresCpu);
        await sampling.CancelAsync();
        await sampler;
        return new LoadResult(name, clients, all.Count, failures, all.Count / elapsed.TotalSeconds,
            Percentile(all, 0.50), Percentile(all, 0.99), all.Count == 0 ? 0 : all[^1],
            PerRequest(serverCpu, all.Count), PerRequest(postgresCpu, all.Count));
    }

    /// <summary>CPU milliseconds a request; NaN (shown as n/a) when none was measured.</summary>
    private static double PerRequest(TimeSpan cpu, int requests) => requests == 0 || cpu <= TimeSpan.Zero ? double.NaN : cpu.TotalMilliseconds / requests;

    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
