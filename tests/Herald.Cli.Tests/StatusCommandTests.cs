using System.Text.Json;
using System.Text.RegularExpressions;
using Herald.Sandbox.Hosting;

namespace Herald.Cli.Tests;

/// <summary><c>herald status</c>, its filters and JSON, and the short ids people type into it and the commands that change a publication.</summary>
public sealed class StatusCommandTests
{
    [Fact]
    public async Task Status_ShortIdsOfPublicationsMadeTogether_AreDistinctAndEachFindsItsPublication()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun(CliRun.AccountsOn(sandbox, "devto", "mastodon", "bluesky"));
        await PostAsync(run, "--to", "devto,mastodon,bluesky");

        var publications = await StatusJsonAsync(run);

        Assert.Equal(3, publications.Count);
        var shortIds = publications.Select(p => p.GetProperty("shortId").GetString()!).ToList();
        Assert.Equal(3, shortIds.Distinct().Count());
        foreach (var publication in publications)
        {
            var shortId = publication.GetProperty("shortId").GetString()!;
            Assert.True(shortId.Length >= 7, shortId);
            Assert.StartsWith(shortId, publication.GetProperty("id").GetString()![20..], StringComparison.Ordinal);
            var (exitCode, output, error) = await run.InvokeAsync("status", shortId[..5]);
            Assert.True(exitCode == 0, error);
            Assert.Contains($"Publication   {shortId} ({publication.GetProperty("id").GetString()})", output, StringComparison.Ordinal);
            Assert.Contains($"Account       {publication.GetProperty("platform").GetString()} ·", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Status_PrefixSharedByPublications_IsRefusedListingTheCandidates()
    {
        // Ids made together share their time prefix (the first nine or so characters): that prefix names all three.
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun(CliRun.AccountsOn(sandbox, "devto", "mastodon", "bluesky"));
        await PostAsync(run, "--to", "devto,mastodon,bluesky");
        var publications = await StatusJsonAsync(run);
        var ids = publications.Select(p => p.GetProperty("id").GetString()!).ToList();
        var shared = Enumerable.Range(0, 12).TakeWhile(i => ids.All(id => id[i] == ids[0][i])).Count();
        Assert.True(shared >= 6, string.Join(", ", ids));
        var timePrefix = ids[0][..shared];

        var (exitCode, _, error) = await run.InvokeAsync("cancel", timePrefix);

        Assert.Equal(2, exitCode);
        Assert.Contains($"id: '{timePrefix}' matches 3 publications, give more characters:", error, StringComparison.Ordinal);
        Assert.All(publications, p => Assert.Contains(
            $"{p.GetProperty("shortId").GetString()} ({p.GetProperty("platform").GetString()}, Published,", error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_Filters_ShowOnlyMatchingPublications()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun(CliRun.AccountsOn(sandbox, "devto", "linkedin", "mastodon"));
        await PostAsync(run, "--to", "devto,linkedin");
        await PostAsync(run, "--to", "mastodon", "--at", "+3d");

        Assert.Equal(["linkedin"], Platforms(await StatusJsonAsync(run, "--status", "awaitingmanualaction")));
        Assert.Equal(["devto", "mastodon"], Platforms(await StatusJsonAsync(run, "--platform", "devto,mastodon")).Order());
        Assert.Equal(["mastodon"], Platforms(await StatusJsonAsync(run, "--since", "+1d")));
        Assert.Equal(["devto", "linkedin"], Platforms(await StatusJsonAsync(run, "--until", "+1d")).Order());
        Assert.Equal(["devto"], Platforms(await StatusJsonAsync(run, "--status", "Published,Scheduled", "--until", "+1d")));
        Assert.Empty(await StatusJsonAsync(run, "--since", DateTime.Today.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

        var (_, table, _) = await run.InvokeAsync("status", "--platform", "linkedin");
        // Each row names its account: configured accounts are "default".
        Assert.Matches(@"(?m)^ID\s+PLATFORM\s+ACCOUNT\s+STATUS", table);
        Assert.Matches(@"(?m)^[0-9a-f]{7,12}\s+linkedin\s+default\s+AwaitingManualAction", table);
        Assert.DoesNotContain("devto", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_AccountFilter_ShowsThatAccountsPublicationsAndRefusesANameItCannotPlace()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun(CliRun.AccountsOn(sandbox, "devto", "mastodon"));
        await PostAsync(run, "--to", "devto,mastodon");

        // Accounts from configuration are named "default" on each platform: platform:name tells them apart.
        Assert.Equal(["mastodon"], Platforms(await StatusJsonAsync(run, "--account", "mastodon:default")));
        Assert.Equal(["devto", "mastodon"], Platforms(await StatusJsonAsync(run, "--account", "devto:default,mastodon:default")).Order());

        var (ambiguous, _, several) = await run.InvokeAsync("status", "--account", "default");
        Assert.Equal(2, ambiguous);
        Assert.Contains("--account: 'default' names accounts on several platforms", several, StringComparison.Ordinal);
        var (unknown, _, none) = await run.InvokeAsync("status", "--account", "nobody");
        Assert.Equal(2, unknown);
        Assert.Contains("--account: no stored account is named 'nobody'; `herald accounts list` shows them", none, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--status", "Bogus", "--status: unknown status 'Bogus'; known statuses: Scheduled, Publishing")]
    [InlineData("--platform", "myspace", "--platform: unknown platform 'myspace'; known platforms:")]
    [InlineData("--since", "yesterday", "--since: 'yesterday' is not a time Herald understands")]
    public async Task Status_BadFilter_NamesTheOptionAndExitsTwo(string option, string value, string expected)
    {
        using var run = new CliRun();

        var (exitCode, _, error) = await run.InvokeAsync("status", option, value);

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Json_HasTheDocumentedShape()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun(CliRun.AccountsOn(sandbox, "devto"));
        await PostAsync(run, "--to", "devto");

        var publication = Assert.Single(await StatusJsonAsync(run));
        var (_, one, _) = await run.InvokeAsync("status", publication.GetProperty("shortId").GetString()!, "--json");
        var details = JsonDocument.Parse(one).RootElement;

        string[] fields =
        [
            "id", "shortId", "platform", "accountId", "status", "sandbox", "scheduledAt", "timeZone", "nextAttemptAt", "attemptCount",
            "retryCount", "maxRetries", "url", "externalId", "publishedAt", "lastErrorKind", "lastError", "createdAt",
        ];
        Assert.Equal(fields, publication.EnumerateObject().Select(p => p.Name));
        Assert.Equal([.. fields, "attempts"], details.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Published", publication.GetProperty("status").GetString());
        Assert.StartsWith(sandbox.BaseAddress.ToString(), publication.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("+00:00", publication.GetProperty("publishedAt").GetString(), StringComparison.Ordinal);
        var attempt = Assert.Single(details.GetProperty("attempts").EnumerateArray());
        Assert.Equal(["number", "startedAt", "durationMs", "outcome", "httpStatus", "error"], attempt.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Published", attempt.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Reschedule_ScheduledPublication_MovesItToTheNewTime()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun(CliRun.AccountsOn(sandbox, "mastodon"));
        var posted = await PostAsync(run, "--to", "mastodon", "--at", "+2h");
        var shortId = Regex.Match(posted, @"mastodon\s+(?<id>[0-9a-f]{7,12})").Groups["id"].Value;
        var before = DateTimeOffset.UtcNow;

        var (exitCode, output, error) = await run.InvokeAsync("reschedule", shortId, "--at", "+1d3h");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        Assert.Contains($"✓ mastodon publication {shortId} is Scheduled: due ", output, StringComparison.Ordinal);
        var due = Assert.Single(await StatusJsonAsync(run)).GetProperty("scheduledAt").GetDateTimeOffset();
        Assert.InRange(due, before + TimeSpan.FromHours(27) - TimeSpan.FromMinutes(1), before + TimeSpan.FromHours(27) + TimeSpan.FromMinutes(5));
        Assert.Empty(sandbox.Requests.All);
    }

    [Fact]
    public async Task Reschedule_WithoutAt_ExitsTwoNamingTheOption()
    {
        using var run = new CliRun();

        var (exitCode, _, error) = await run.InvokeAsync("reschedule", "abcdef1");

        Assert.Equal(2, exitCode);
        Assert.Contains("Option '--at' is required.", error, StringComparison.Ordinal);
    }

    private static async Task<string> PostAsync(CliRun run, params string[] args)
    {
        var (exitCode, output, error) = await run.InvokeAsync(["post", CliRun.Example, .. args]);
        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        return output;
    }

    private static async Task<List<JsonElement>> StatusJsonAsync(CliRun run, params string[] args)
    {
        var (exitCode, output, error) = await run.InvokeAsync(["status", "--json", .. args]);
        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        return [.. JsonDocument.Parse(output).RootElement.EnumerateArray()];
    }

    private static List<string> Platforms(List<JsonElement> publications) =>
        [.. publications.Select(p => p.GetProperty("platform").GetString()!)];
}
