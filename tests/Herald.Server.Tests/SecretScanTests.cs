using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using Herald.Server.Keys;
using Herald.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests;

/// <summary>
/// Credentials go in through <c>POST /accounts</c> and never come out: after a run that publishes, fails, retries and
/// delivers webhooks, unique sentinel strings are in no HTTP response (metrics included), log line, OpenAPI document,
/// webhook body or database column; and the webhook's signing secret is in nothing but the answer that created it
/// (its column holds only ciphertext). Each database gets its own server, so every line and row it holds is scanned.
/// </summary>
public abstract class SecretScanTests(ServerFactory server)
{
    [Fact]
    public async Task Credentials_SentThroughPostAccounts_AppearInNoResponseLogDocumentOrColumn()
    {
        var sentinels = Enumerable.Range(0, 3).Select(i => $"SENTINEL{i}-{Guid.NewGuid():N}").ToArray();
        var responses = new ConcurrentQueue<string>();
        using var client = server.CreateDefaultClient(new RecordingHandler(responses));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await server.CreateKeyAsync(ApiScopes.Admin));
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 1);
        var webhookSecret = (string)(await client.PostJsonAsync("/api/v1/webhooks", new { url = receiver.Url.ToString() })
            .ExpectAsync(HttpStatusCode.Created))["secret"]!;

        // A Dev.to account whose key the sandbox does not know: its publication fails, is retried, fails again.
        var account = await client.PostJsonAsync("/api/v1/accounts", new
        {
            platform = "devto",
            displayName = "leaky",
            credentials = new Dictionary<string, string> { ["api_key"] = sentinels[0], ["unused_secret"] = sentinels[1] },
            baseUrl = server.Sandbox.PlatformBaseUrl("devto").ToString(),
        }).ExpectAsync(HttpStatusCode.Created);
        var accountId = (string)account["id"]!;
        var posted = await client.PostJsonAsync("/api/v1/posts", new
        {
            title = "Secret scan",
            body = "A body.",
            targets = new[] { accountId, "x" },
        }).ExpectAsync(HttpStatusCode.Created);
        var failing = (string)posted["publications"]!.AsArray().Single(p => (string?)p!["accountId"] == accountId)!["id"]!;
        var publishing = (string)posted["publications"]!.AsArray().Single(p => (string?)p!["accountId"] != accountId)!["id"]!;
        await WaitForStatusAsync(client, failing, "Failed");
        await WaitForStatusAsync(client, publishing, "Published");
        await client.PostAsync($"/api/v1/publications/{failing}/retry", null).ExpectAsync(HttpStatusCode.OK);
        await Api.WaitForAsync(() => client.GetAsync($"/api/v1/publications/{failing}").ExpectAsync(HttpStatusCode.OK),
            d => d["attempts"]!.AsArray().Count == 2 && (string?)d["publication"]!["status"] == "Failed", "the retry to fail too");

        // The webhook saw the failure and the retry's failure too (its events come in order, after one refused attempt).
        await Api.WaitForAsync(() => Task.FromResult(receiver.Received.ToList()),
            r => r.Any(d => d.Answered == 200 && d.Body.Contains(failing, StringComparison.Ordinal) && d.Body.Contains("\"attemptCount\":2", StringComparison.Ordinal) &&
                d.Body.Contains("\"status\":\"Failed\"", StringComparison.Ordinal)),
            "the webhook to deliver the retry's failure");

        var patch = System.Text.Json.JsonSerializer.Serialize(new { credentials = new Dictionary<string, string> { ["api_key"] = sentinels[2] } });
        await client.PatchAsync($"/api/v1/accounts/{accountId}", new StringContent(patch, System.Text.Encoding.UTF8, "application/json"))
            .ExpectAsync(HttpStatusCode.OK);
        foreach (var path in new[] { "/api/v1/webhooks", "/api/v1/accounts", $"/api/v1/accounts/{accountId}", $"/api/v1/publications/{failing}", "/api/v1/publications?limit=200", "/api/v1/keys", "/openapi/v1.json", "/health/ready", "/metrics" })
        {
            await client.GetAsync(path);
        }

        var places = responses.Select(r => ("response", r))
            .Concat(server.LogLines.Select(l => ("log", l)))
            .Concat((await ReadEveryColumnAsync()).Select(c => ("column", c)))
            .Concat(receiver.Received.Select(r => ("webhook", $"{r.Id} {r.Timestamp} {r.Signature} {r.Body}")))
            .ToList();
        Assert.Contains(places, p => p.Item1 == "webhook" && p.Item2.Contains(failing, StringComparison.Ordinal));
        Assert.Contains(places, p => p.Item1 == "column" && (p.Item2.StartsWith("webhooks: ", StringComparison.Ordinal) || p.Item2.StartsWith("public.webhooks: ", StringComparison.Ordinal)));
        var secretHits = places.Where(p => p.Item2.Contains(webhookSecret, StringComparison.Ordinal)).ToList();
        Assert.True(secretHits.Count == 1 && secretHits[0].Item2.StartsWith("POST ", StringComparison.Ordinal) && secretHits[0].Item2.Contains("/api/v1/webhooks 201", StringComparison.Ordinal),
            "the webhook secret is somewhere else than the answer that created it: " + string.Join(" | ", secretHits.Select(h => $"{h.Item1}: {h.Item2[..Math.Min(300, h.Item2.Length)]}")));
        Assert.Contains(places, p => p.Item1 == "column" && p.Item2.Contains(failing, StringComparison.Ordinal));
        Assert.Contains(places, p => p.Item1 == "log");
        var hits = places.Where(p => sentinels.Any(s => p.Item2.Contains(s, StringComparison.Ordinal))).ToList();
        Assert.True(hits.Count == 0, "credentials leaked: " + string.Join(" | ", hits.Select(h => $"{h.Item1}: {h.Item2[..Math.Min(300, h.Item2.Length)]}")));
    }

    private static Task WaitForStatusAsync(HttpClient client, string id, string status) =>
        Api.WaitForAsync(() => client.GetAsync($"/api/v1/publications/{id}").ExpectAsync(HttpStatusCode.OK),
            d => (string?)d["publication"]!["status"] == status, $"{id} to be {status}");

    /// <summary>Every value of every column of every table, as text (the credentials column too: it holds only ciphertext).</summary>
    private async Task<List<string>> ReadEveryColumnAsync()
    {
        await using var scope = server.Services.CreateAsyncScope();
        var connection = scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Database.GetDbConnection();
        await connection.OpenAsync();
        var tablesSql = server.Database == TestDatabase.Sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table'"
            : "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')";
        var tables = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = tablesSql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains(tables, t => t.Contains("api_keys", StringComparison.Ordinal));
        var values = new List<string>();
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = server.Database == TestDatabase.Sqlite ? $"SELECT * FROM \"{table}\"" : $"SELECT * FROM {table}";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                values.Add($"{table}: " + string.Join(" ", Enumerable.Range(0, reader.FieldCount).Select(i => ValueAsText(reader, i))));
            }
        }

        return values;
    }

    private static string ValueAsText(DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? "" : reader.GetValue(column) is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : Convert.ToString(reader.GetValue(column), System.Globalization.CultureInfo.InvariantCulture) ?? "";

    private sealed class RecordingHandler(ConcurrentQueue<string> responses) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            responses.Enqueue($"{request.Method} {request.RequestUri} {(int)response.StatusCode} {response.Headers} {response.Content.Headers} {body}");
            return response;
        }
    }
}

/// <summary>The scan on the embedded SQLite database.</summary>
public sealed class SqliteSecretScanTests(SqliteWebhookServerFactory server) : SecretScanTests(server), IClassFixture<SqliteWebhookServerFactory>;

/// <summary>The scan on the real PostgreSQL, Hangfire's tables included.</summary>
public sealed class PostgresSecretScanTests(PostgresWebhookServerFactory server) : SecretScanTests(server), IClassFixture<PostgresWebhookServerFactory>;
