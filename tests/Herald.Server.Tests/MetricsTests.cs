using System.Net;
using Herald.Server.Hosting;
using Herald.Server.Keys;

namespace Herald.Server.Tests;

/// <summary>The collection whose servers run alone: several OpenTelemetry meter providers in one test process were seen to starve each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics";
}

/// <summary><c>/metrics</c>: Herald's meter and the HTTP server's in Prometheus format, behind a key.</summary>
public abstract class MetricsTests(ServerFactory server)
{
    [Fact]
    public async Task Metrics_AfterAPublish_ExportAttemptsLatenessPublicationsAndHttpInPrometheusFormat()
    {
        using var anonymous = server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);

        using var client = await server.ClientWithScopesAsync(ApiScopes.Write);
        var posted = await client.PostJsonAsync("/api/v1/posts", new { title = $"Counted {Guid.NewGuid():N}", body = "A body.", targets = new[] { "medium" } }).ExpectAsync(HttpStatusCode.Created);
        var id = (string)posted["publications"]![0]!["id"]!;
        await Api.WaitForAsync(() => client.GetAsync($"/api/v1/publications/{id}").ExpectAsync(HttpStatusCode.OK),
            d => (string?)d["publication"]!["status"] == "Published", "the post to be published");

        // The publications gauge is a snapshot, refreshed every 200 ms here (MetricsSnapshotInterval; 15 s by default).
        var text = await Api.WaitForAsync(() => client.GetStringAsync("/metrics"),
            t => t.Contains("herald_publications{", StringComparison.Ordinal) && t.Contains("status=\"Published\"", StringComparison.Ordinal),
            "the metrics to show the published post", TimeSpan.FromSeconds(60));
        Assert.Contains("herald_attempts_total{", text, StringComparison.Ordinal);
        Assert.Contains("platform=\"medium\"", text, StringComparison.Ordinal);
        Assert.Contains("herald_publish_lateness_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Matches("herald_publish_lateness_seconds_count\\{[^}]*platform=\"medium\"[^}]*\\} [1-9]", text);
        // The attempt's duration, read from its stored row, lands in the histogram a moment after the attempt ends.
        text = await Api.WaitForAsync(() => client.GetStringAsync("/metrics"),
            t => t.Contains("herald_publish_duration_seconds_bucket{", StringComparison.Ordinal), "the publish duration", TimeSpan.FromSeconds(60));
        Assert.Matches("herald_publish_duration_seconds_count\\{[^}]*platform=\"medium\"[^}]*status=\"Published\"[^}]*\\} [1-9]", text);
        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
    }
}

/// <summary>The metrics setting, checked at start.</summary>
public sealed class MetricsOptionsTests
{
    [Fact]
    public void MetricsSnapshotInterval_NotPositiveOrOverADay_IsRefusedNamingTheSetting()
    {
        foreach (var interval in new[] { TimeSpan.Zero, TimeSpan.FromDays(2) })
        {
            Assert.Contains("Herald:Server:MetricsSnapshotInterval must be positive and at most a day",
                Assert.Single(new HeraldServerOptions { MetricsSnapshotInterval = interval }.Problems()), StringComparison.Ordinal);
        }

        Assert.Empty(new HeraldServerOptions().Problems());
    }
}

/// <summary>A server whose publications gauge is counted every 200 ms, so a test sees a publish in it at once.</summary>
public class QuickMetricsServerFactory(TestDatabase database)
    : ServerFactory(database, new Dictionary<string, string?> { ["Herald:Server:MetricsSnapshotInterval"] = "00:00:00.200" });

/// <summary>On SQLite.</summary>
public sealed class SqliteMetricsServerFactory() : QuickMetricsServerFactory(TestDatabase.Sqlite);

/// <summary>On PostgreSQL.</summary>
public sealed class PostgresMetricsServerFactory() : QuickMetricsServerFactory(TestDatabase.PostgreSql);

/// <summary>Metrics on SQLite.</summary>
[Collection(MetricsCollection.Name)]
public sealed class SqliteMetricsTests(SqliteMetricsServerFactory server) : MetricsTests(server), IClassFixture<SqliteMetricsServerFactory>;

/// <summary>Metrics on PostgreSQL.</summary>
[Collection(MetricsCollection.Name)]
public sealed class PostgresMetricsTests(PostgresMetricsServerFactory server) : MetricsTests(server), IClassFixture<PostgresMetricsServerFactory>;
