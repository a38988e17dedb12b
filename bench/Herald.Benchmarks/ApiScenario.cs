using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Herald.Benchmarks;

/// <summary>
/// The REST API under load (docs/benchmarks.md, "The server's API"): the real <c>herald serve --role api</c> in its own
/// process on a fresh PostgreSQL database; 50 clients posting one-target posts for a fixed time; then, with 100,000
/// publications stored, clients reading filtered pages of 50 and following the cursor. The server's resident memory
/// is sampled all along. Latencies are measured by the clients, end to end over loopback HTTP.
/// </summary>
internal static class ApiScenario
{
    public sealed record Load(string Name, int Clients, int Requests, int Failures, double PerSecond, double P50Ms, double P99Ms, double MaxMs);

    public sealed record Outcome(Load Posts, Load Pages, int Stored, long PeakRssMb);

    public static async Task<Outcome> RunAsync(string admin, int stored, TimeSpan duration, Action<string> progress)
    {
        await using var database = await BenchDatabase.CreateAsync(admin, postgres: true);
        using var host = HeraldScenarios.Build(database);
        await host.Services.MigrateHeraldDatabaseAsync();
        var credentialKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var key = await CreateKeyAsync(database.ConnectionString, credentialKey);
        await using var server = await ServerProcess.StartAsync(database.ConnectionString, credentialKey);
        progress($"herald serve --role api at {server.Address} (pid {server.Pid})");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = server.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var account = await http.PostAsJsonAsync("api/v1/accounts", new
        {
            platform = "devto",
            displayName = "bench",
            baseUrl = "http://127.0.0.1:9/api",
            credentials = new Dictionary<string, string> { ["api_key"] = "bench-key" },
        });
        var accountId = (string)(await ReadAsync(account, 201))["id"]!;
        var at = DateTimeOffset.UtcNow.AddDays(1).ToString("O", CultureInfo.InvariantCulture);

        var posted = 0;
        HttpRequestMessage Post(int _) => new(HttpMethod.Post, "api/v1/posts")
        {
            Content = JsonContent.Create(new
            {
                title = $"API benchmark {Interlocked.Increment(ref posted)} {Guid.NewGuid():N}",
                body = "A body of a few words, with a [link](https://example.com/).",
                tags = new[] { "bench" },
                targets = new[] { accountId },
                at,
            }),
        };

        progress("warming up POST /api/v1/posts");
        await RunLoadAsync("warm-up", http, 50, TimeSpan.FromSeconds(5), Post, 201, server);
        progress($"POST /api/v1/posts, 50 clients, {duration.TotalSeconds:0} s");
        var posts = await RunLoadAsync("POST /api/v1/posts (one target)", http, 50, duration, Post, 201, server);

        var have = await CountAsync(database.ConnectionString);
        if (have < stored)
        {
            progress($"storing {stored - have:N0} more publications");
            await BenchDatabase.SeedAsync(host.Services, new Uri("http://127.0.0.1:9/api"), null, stored - have, 100, DateTimeOffset.UtcNow.AddDays(2));
        }

        await AnalyzeAsync(database.ConnectionString);
        var total = await CountAsync(database.ConnectionString);

        // Each client starts at the first page of Scheduled Dev.to publications and follows the cursor for 20 pages.
        var cursors = new (string? Cursor, int Page)[10];
        HttpRequestMessage Page(int client) => new(HttpMethod.Get,
            "api/v1/publications?status=Scheduled&platform=devto&limit=50" +
            (cursors[client].Cursor is { } cursor ? "&cursor=" + Uri.EscapeDataString(cursor) : ""));
        void Next(int client, JsonNode body) =>
            cursors[client] = (string?)body["nextCursor"] is { } next && cursors[client].Page < 20 ? (next, cursors[client].Page + 1) : (null, 0);

        progress("warming up GET /api/v1/publications");
        await RunLoadAsync("warm-up", http, 10, TimeSpan.FromSeconds(5), Page, 200, server, Next);
        progress($"GET /api/v1/publications (filtered page of 50, {total:N0} stored), 10 clients, {duration.TotalSeconds:0} s");
        var pages = await RunLoadAsync("GET /api/v1/publications (filtered, 50 a page)", http, 10, duration, Page, 200, server, Next);
        return new Outcome(posts, pages, total, server.PeakRssMb);
    }

    /// <summary>
    /// <paramref name="clients"/> loops, each sending <paramref name="request"/> and awaiting the answer before the next,
    /// for <paramref name="duration"/>. An answer other than <paramref name="expected"/> counts as a failure.
    /// </summary>
    private static async Task<Load> RunLoadAsync(
        string name, HttpClient http, int clients, TimeSpan duration, Func<int, HttpRequestMessage> request, int expected, ServerProcess server,
        Action<int, JsonNode>? read = null)
    {
        var failures = 0;
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
                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                if ((int)response.StatusCode != expected)
                {
                    if (Interlocked.Increment(ref failures) == 1)
                    {
                        Console.Error.WriteLine($"{name}: HTTP {(int)response.StatusCode}: {body[..Math.Min(400, body.Length)]}");
                    }
                }
                else
                {
                    read?.Invoke(client, JsonNode.Parse(body)!);
                }
            }

            return latencies;
        })).ToList();
        var all = (await Task.WhenAll(loops)).SelectMany(l => l).Order().ToList();
        var elapsed = started.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        return new Load(name, clients, all.Count, failures, all.Count / elapsed.TotalSeconds,
            Percentile(all, 0.50), Percentile(all, 0.99), all.Count == 0 ? 0 : all[^1]);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response, int expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        return (int)response.StatusCode == expected
            ? JsonNode.Parse(body)!
            : throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: expected HTTP {expected}, got {(int)response.StatusCode}: {body}");
    }

    /// <summary><c>herald keys create bench --scope admin</c> on the database; the key is its first line.</summary>
    private static async Task<string> CreateKeyAsync(string connectionString, string credentialKey)
    {
        var info = new ProcessStartInfo("dotnet", [BenchPaths.HeraldCli, "keys", "create", "bench", "--scope", "admin"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Herald__Database"] = connectionString;
        info.Environment["Herald__CredentialKey"] = credentialKey;
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 && output.Split('\n')[0].Trim() is { Length: > 0 } key && key.StartsWith("hk_", StringComparison.Ordinal)
            ? key
            : throw new InvalidOperationException($"herald keys create exited {process.ExitCode}: {output}{error}");
    }

    private static async Task<int> CountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM publications", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task AnalyzeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("ANALYZE", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary><c>herald serve --role api</c> in its own process, on a free loopback port, with the per-key limit lifted.</summary>
    private sealed class ServerProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private long _peakKb;

        private ServerProcess(Process process, Uri address)
        {
            _process = process;
            Address = address;
        }

        public Uri Address { get; }

        public int Pid => _process.Id;

        public long PeakRssMb => Math.Max(Interlocked.Read(ref _peakKb), ProcessStatus.Kb(_process.Id, "VmHWM:")) / 1024;

        public static async Task<ServerProcess> StartAsync(string connectionString, string credentialKey)
        {
            var port = FreePort();
            var address = new Uri($"http://127.0.0.1:{port}/");
            var info = new ProcessStartInfo("dotnet", [BenchPaths.HeraldCli, "serve", "--role", "api", "--urls", address.ToString().TrimEnd('/')])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            info.Environment["Herald__Database"] = connectionString;
            info.Environment["Herald__CredentialKey"] = credentialKey;
            // 50 clients on one key would meet the per-key limit (600 a minute) at once: what is measured is the API's cost.
            info.Environment["Herald__Server__RateLimitPermits"] = "100000000";
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new ServerProcess(process, address);
            using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"herald serve exited with {process.ExitCode} before it was ready.");
                }

                try
                {
                    if ((await probe.GetAsync(new Uri("health/ready", UriKind.Relative))).IsSuccessStatusCode)
                    {
                        return server;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }

                if (deadline.Elapsed > TimeSpan.FromMinutes(2))
                {
                    await server.DisposeAsync();
                    throw new TimeoutException("herald serve was not ready within two minutes.");
                }

                await Task.Delay(200);
            }
        }

        /// <summary>Reads VmRSS every 200 ms until cancelled, keeping the highest.</summary>
        public async Task SampleRssAsync(CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var kb = ProcessStatus.Kb(_process.Id, "VmRSS:");
                if (kb > Interlocked.Read(ref _peakKb))
                {
                    Interlocked.Exchange(ref _peakKb, kb);
                }

                await Task.Delay(200, CancellationToken.None);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}

/// <summary>A field of <c>/proc/&lt;pid&gt;/status</c> in kB (VmRSS, VmHWM); 0 once the process is gone.</summary>
internal static class ProcessStatus
{
    public static long Kb(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
