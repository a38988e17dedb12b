using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Herald.Benchmarks;

/// <summary>
/// The dashboard's pages with many publications stored (docs/benchmarks.md, "The dashboard's pages"): the real
/// <c>herald serve --role api</c> (which serves the dashboard) in its own process on a fresh PostgreSQL database holding
/// 100,000 publications spread over 60 days around today — published, failed and scheduled — and one dashboard
/// user signed in. One client at a time asks for each page for a fixed time, so a latency is the server's time for
/// that page plus loopback, never time spent queueing behind another request.
/// </summary>
internal static partial class DashboardScenario
{
    public sealed record Outcome(IReadOnlyList<LoadResult> Pages, int Stored, long PeakRssMb);

    public static async Task<Outcome> RunAsync(string admin, int stored, TimeSpan duration, Action<string> progress)
    {
        await using var database = await BenchDatabase.CreateAsync(admin, postgres: true);
        using var host = HeraldScenarios.Build(database);
        await host.Services.MigrateHeraldDatabaseAsync();
        var credentialKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var now = DateTimeOffset.UtcNow;
        progress($"storing {stored:N0} publications over 100 accounts");
        await BenchDatabase.SeedAsync(host.Services, new Uri("http://127.0.0.1:9/api"), null, stored, 100, now.AddDays(2));
        await SpreadAsync(database.ConnectionString, now);
        progress("spread over the 30 days before and after today: past ones Published (3 % Failed) with their attempt, later ones Scheduled");

        var password = $"Bench-{Guid.NewGuid():N}";
        await AddUserAsync(database.ConnectionString, credentialKey, "bench", password);
        await using var server = await ServerProcess.StartAsync(database.ConnectionString, credentialKey);
        progress($"herald serve --role api at {server.Address} (pid {server.Pid}); signing in as a dashboard user");
        using var handler = new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = server.Address };
        await SignInAsync(http, "bench", password);

        var week = DateOnly.FromDateTime(now.UtcDateTime);
        week = week.AddDays(-(((int)week.DayOfWeek + 6) % 7));
        string? next = null;
        var followed = 0;
        var pages = new (string Name, Func<string> Path, Action<int, string>? Read)[]
        {
            ("Overview (/)", () => "/", null),
            ("Publications, first page", () => "/publications", null),
            ("Publications, following the next-page link", () => next ?? "/publications", (_, body) => followed += (next = NextPage(body)) is null ? 0 : 1),
            ("Publications, Failed on Dev.to", () => "/publications?status=Failed&platform=devto", null),
            ("Publications, title search", () => "/publications?q=article+4242", null),
            ("Calendar, this month", () => "/calendar", null),
            ("Calendar, this week", () => "/calendar?week=" + week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null),
        };
        var results = new List<LoadResult>();
        foreach (var (name, path, read) in pages)
        {
            HttpRequestMessage Get(int _) => new(HttpMethod.Get, path());
            await HttpLoad.RunAsync("warm-up", http, 1, TimeSpan.FromSeconds(3), Get, 200, server, read);
            progress($"{name}: one client, {duration.TotalSeconds:0} s");
            results.Add(await HttpLoad.RunAsync(name, http, 1, duration, Get, 200, server, read));
        }

        // A page without the link would have measured the first page again and again.
        progress(followed > 0 ? $"followed {followed:N0} next-page links" : throw new InvalidOperationException("no next-page link was found on /publications"));

        return new Outcome(results, stored, server.PeakRssMb);
    }

    /// <summary>The href of the page's "Next page" link, HTML-decoded; null on the last page.</summary>
    private static string? NextPage(string html) =>
        NextLink().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups["href"].Value) : null;

    [GeneratedRegex("""<a[^>]*href="(?<href>/publications\?[^"]*cursor=[^"]*)"[^>]*>\s*Next""")]
    private static partial Regex NextLink();

    [GeneratedRegex("""name="(?<name>__RequestVerificationToken|_handler)"[^>]*value="(?<value>[^"]*)"|value="(?<value>[^"]*)"[^>]*name="(?<name>__RequestVerificationToken|_handler)(?=")""")]
    private static partial Regex HiddenField();

    /// <summary>Moves the seeded rows onto 60 days around <paramref name="now"/>, each in the status its time implies.</summary>
    private static async Task SpreadAsync(string connectionString, DateTimeOffset now)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            UPDATE publications SET scheduled_at = @now + (random() * 60 - 30) * interval '1 day';
            UPDATE publications SET status = CASE WHEN scheduled_at > @now THEN 'Scheduled' WHEN random() < 0.03 THEN 'Failed' ELSE 'Published' END;
            UPDATE publications SET
                next_attempt_at = CASE WHEN status = 'Scheduled' THEN scheduled_at END,
                published_at = CASE WHEN status = 'Published' THEN scheduled_at + interval '1 minute' END,
                external_id = CASE WHEN status = 'Published' THEN id::text END,
                url = CASE WHEN status = 'Published' THEN 'https://dev.to/bench/' || id END,
                last_error_kind = CASE WHEN status = 'Failed' THEN 'Permanent' END,
                last_error = CASE WHEN status = 'Failed' THEN 'Dev.to refused the article (HTTP 422): the benchmark says so.' END,
                attempt_count = CASE WHEN status = 'Scheduled' THEN 0 ELSE 1 END,
                created_at = scheduled_at - interval '1 day',
                updated_at = CASE WHEN status = 'Scheduled' THEN scheduled_at - interval '1 day' ELSE scheduled_at + interval '1 minute' END;
            INSERT INTO attempts (publication_id, account_id, number, started_at, ended_at, outcome, http_status, error)
            SELECT id, account_id, 1, scheduled_at, scheduled_at + interval '800 milliseconds',
                   CASE WHEN status = 'Published' THEN 'Published' ELSE 'Permanent' END,
                   CASE WHEN status = 'Published' THEN 201 ELSE 422 END,
                   last_error
            FROM publications WHERE status IN ('Published', 'Failed');
            """,
            connection);
        command.Parameters.AddWithValue("now", now);
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
        // On its own: VACUUM cannot run inside the statements above (one implicit transaction).
        await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE publications", connection) { CommandTimeout = 600 };
        await vacuum.ExecuteNonQueryAsync();
    }

    /// <summary><c>herald users add NAME --password-stdin</c> on the database.</summary>
    private static async Task AddUserAsync(string connectionString, string credentialKey, string name, string password)
    {
        var info = new ProcessStartInfo("dotnet", [BenchPaths.HeraldCli, "users", "add", name, "--password-stdin"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Herald__Database"] = connectionString;
        info.Environment["Herald__CredentialKey"] = credentialKey;
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteLineAsync(password);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"herald users add exited {process.ExitCode}: {output}{error}");
        }
    }

    /// <summary>Posts the sign-in form as a browser would (its antiforgery token and handler name from the form itself).</summary>
    private static async Task SignInAsync(HttpClient http, string name, string password)
    {
        var form = await http.GetStringAsync(new Uri("/login", UriKind.Relative));
        var fields = HiddenField().Matches(form).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Input.UserName"] = name;
        fields["Input.Password"] = password;
        using var response = await http.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(fields));
        if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther)
            || response.Headers.Location?.OriginalString.Contains("login", StringComparison.OrdinalIgnoreCase) != false)
        {
            throw new InvalidOperationException($"signing in failed: HTTP {(int)response.StatusCode} to {response.Headers.Location}");
        }

        using var overview = await http.GetAsync(new Uri("/", UriKind.Relative));
        if (overview.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"signed in, yet / answered HTTP {(int)overview.StatusCode}");
        }
    }
}
