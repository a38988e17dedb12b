using Herald.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Herald.Server.Tests;

/// <summary>How the server host is put together.</summary>
public sealed class HostingTests(SqliteServerFactory server) : IClassFixture<SqliteServerFactory>
{
    [Fact]
    public void ShutdownTimeout_IsLongerThanAnAttempt_SoInFlightAttemptsFinish()
    {
        var host = server.Services.GetRequiredService<IOptions<HostOptions>>().Value;
        var workers = server.Services.GetRequiredService<WorkerOptions>();
        Assert.True(host.ShutdownTimeout > workers.AttemptTimeout, $"shutdown {host.ShutdownTimeout} ≤ attempt {workers.AttemptTimeout}");
        Assert.True(host.ShutdownTimeout >= workers.ShutdownTimeout);
    }

    [Fact]
    public async Task UnknownAddress_InABrowser_IsTheDashboardsNotFoundPage_AndOnTheApi_ProblemDetails()
    {
        using var client = server.CreateClient();
        using var page = new HttpRequestMessage(HttpMethod.Get, "/no/such/page");
        page.Headers.Accept.ParseAdd("text/html");
        using var html = await client.SendAsync(page);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        var body = await html.Content.ReadAsStringAsync();
        Assert.Contains("<h1 tabindex=\"-1\">Not found</h1>", body, StringComparison.Ordinal);
        Assert.Contains("dashboard/assets/dashboard.css", body, StringComparison.Ordinal); // in the dashboard's layout, with its stylesheet

        using var api = await client.GetAsync(new Uri("/api/v1/no-such-thing", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void FirstStart_OnAFreshDatabase_ReadsNoTableBeforeItsMigration()
    {
        // The fixture's server started on a new database: data protection's key ring is read after the dashboard's
        // migrations made its table, so the start logs no missing table.
        Assert.NotNull(server.Services); // started
        Assert.DoesNotContain(server.LogLines, line => line.Contains("dashboard_data_protection_keys", StringComparison.Ordinal));
        Assert.DoesNotContain(server.LogLines, line => line.Contains("error occurred while reading the key ring", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(server.LogLines, line => line.Contains("Failed executing DbCommand", StringComparison.Ordinal));
    }
}

/// <summary>The first start on a new PostgreSQL database, as a new user sees its log.</summary>
public sealed class PostgresFirstStartTests(PostgresServerFactory server) : IClassFixture<PostgresServerFactory>
{
    [Fact]
    public async Task FirstStart_OnANewDatabase_LogsNoFailedCommand()
    {
        // The fixture's server started on a new database. The PostgreSQL provider reads each migrations' history
        // table before knowing whether it exists; Herald creates the tables first, so nothing is logged as failed.
        using var client = server.CreateClient();
        using var health = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.True(health.IsSuccessStatusCode, $"/health answered {health.StatusCode}");
        Assert.DoesNotContain(server.LogLines, line => line.Contains("Failed executing DbCommand", StringComparison.Ordinal));
        Assert.DoesNotContain(server.LogLines, line => line.Contains("does not exist", StringComparison.Ordinal));
    }
}
