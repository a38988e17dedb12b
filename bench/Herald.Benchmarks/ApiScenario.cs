using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
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
    public sealed record Outcome(LoadResult Posts, LoadResult Pages, int Stored, long PeakRssMb);

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

        progress("warming up POST /api/v1/posts until the server's JIT has settled");
        progress(await WarmAsync(http, 50, Post, 201, server, null, duration));
        progress($"POST /api/v1/posts, 50 clients, {duration.TotalSeconds:0} s");
        var posts = await HttpLoad.RunAsync("POST /api/v1/posts (one target)", http, 50, duration, Post, 201, server);

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
        void Next(int client, string body) =>
            cursors[client] = (string?)JsonNode.Parse(body)!["nextCursor"] is { } next && cursors[client].Page < 20 ? (next, cursors[client].Page + 1) : (null, 0);

        progress("warming up GET /api/v1/publications until the server's JIT has settled");
        progress(await WarmAsync(http, 10, Page, 200, server, Next, duration));
        progress($"GET /api/v1/publications (filtered page of 50, {total:N0} stored), 10 clients, {duration.TotalSeconds:0} s");
        var pages = await HttpLoad.RunAsync("GET /api/v1/publications (filtered, 50 a page)", http, 10, duration, Page, 200, server, Next);
        return new Outcome(posts, pages, total, server.PeakRssMb);
    }

    /// <summary>
    /// Runs the load untimed in rounds of 5 s until the server's JIT has settled (<see cref="JitWarmUp"/>), for about
    /// twice the timed duration at most. A build whose <c>/metrics</c> has no JIT series (before 2026-12-03, run with
    /// HERALD_BENCH_CLI) warms one round.
    /// </summary>
    private static Task<string> WarmAsync(
        HttpClient http, int clients, Func<int, HttpRequestMessage> request, int expected, ServerProcess server, Action<int, string>? read, TimeSpan duration) =>
        JitWarmUp.UntilSettledAsync(
            () => HttpLoad.RunAsync("warm-up", http, clients, TimeSpan.FromSeconds(5), request, expected, server, read),
            () => JitTimeAsync(http),
            2 * duration);

    /// <summary>
    /// The time the server's JIT has spent compiling, from <c>/metrics</c> (the runtime's <c>System.Runtime</c> meter),
    /// or null when the server does not export it.
    /// </summary>
    private static async Task<TimeSpan?> JitTimeAsync(HttpClient http)
    {
        const string Series = "dotnet_jit_compilation_time_seconds_total";
        var text = await http.GetStringAsync("metrics");
        // A sample line: the series, its labels (no spaces in them here), the value, and perhaps a timestamp.
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(Series, StringComparison.Ordinal));
        return line?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var value, ..]
            ? TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture))
            : null;
    }

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

}
