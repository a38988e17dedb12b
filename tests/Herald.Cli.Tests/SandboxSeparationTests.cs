using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Herald.Sandbox.Hosting;

namespace Herald.Cli.Tests;

/// <summary>
/// The sandbox stays apart from real data: its own database, its own links. What <c>--sandbox</c> prints opens on the
/// sandbox (never on x.com and the like, where the posts do not exist), and the sandbox shows what it received.
/// </summary>
public sealed class SandboxSeparationTests
{
    private static readonly string[] Platforms = ["devto", "x", "medium", "mastodon", "bluesky", "threads"];

    [Fact]
    public async Task Post_Sandbox_NeverAppearsInRealStatus()
    {
        using var run = new CliRun();

        var (exitCode, output, error) = await run.InvokeAsync("post", CliRun.Example, "--to", "mastodon", "--sandbox");
        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");

        var (_, real, _) = await run.InvokeAsync("status", "--json");
        Assert.Empty(JsonDocument.Parse(real).RootElement.EnumerateArray());
        var (_, sandboxJson, _) = await run.InvokeAsync("status", "--sandbox", "--json");
        var publication = Assert.Single(JsonDocument.Parse(sandboxJson).RootElement.EnumerateArray());
        Assert.True(publication.GetProperty("sandbox").GetBoolean());
        var (_, table, _) = await run.InvokeAsync("status", "--sandbox");
        Assert.StartsWith("Sandbox publications (Data Source=", table, StringComparison.Ordinal);
        Assert.Contains("herald.sandbox.db", table, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(run.DatabasePath)!, "herald.sandbox.db")));
    }

    [Fact]
    public async Task Post_SandboxWithStandaloneSandboxRunning_PrintsItsPostPagesWhichOpen()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun();
        await UseStandaloneSandboxAsync(run, sandbox);

        var (exitCode, output, error) = await run.InvokeAsync("post", CliRun.Example, "--to", string.Join(',', Platforms), "--sandbox");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        Assert.True(sandbox.Requests.All.Count > 0, output);
        using var http = new HttpClient();
        foreach (var platform in Platforms)
        {
            var match = Regex.Match(output, $@"{platform}\s+✓ published  (?<url>\S+)");
            Assert.True(match.Success, $"{platform}\n{output}");
            var url = match.Groups["url"].Value;
            Assert.StartsWith($"{sandbox.BaseAddress}_sandbox/post?platform={platform}&id=", url, StringComparison.Ordinal);
            var page = await http.GetStringAsync(new Uri(url));
            Assert.Contains("Hello, Herald", page, StringComparison.Ordinal);
        }

        var (_, status, _) = await run.InvokeAsync("status", "--sandbox");
        Assert.Contains($"{sandbox.BaseAddress}_sandbox/post?platform=x&id=", status, StringComparison.Ordinal);
        Assert.DoesNotContain("x.com", output + status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SandboxRoot_AfterAPost_ListsItUnderItsPlatform()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun();
        await UseStandaloneSandboxAsync(run, sandbox);
        using var http = new HttpClient();
        var empty = await http.GetAsync(sandbox.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);

        await run.InvokeAsync("post", CliRun.Example, "--to", "bluesky", "--sandbox");
        var root = await http.GetStringAsync(sandbox.BaseAddress);

        Assert.Contains("<h2>Bluesky <small>(", root, StringComparison.Ordinal);
        Assert.Contains("Hello, Herald", root, StringComparison.Ordinal);
        Assert.Contains("_sandbox/post?platform=bluesky&amp;id=", root, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MastodonStatusUrl_WhileTheSandboxRuns_OpensThePost()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun(CliRun.AccountsOn(sandbox, "mastodon"));
        await run.InvokeAsync("post", CliRun.Example, "--to", "mastodon");
        var (_, json, _) = await run.InvokeAsync("status", "--json");
        var url = JsonDocument.Parse(json).RootElement[0].GetProperty("url").GetString()!;
        Assert.Contains("/mastodon/@", url, StringComparison.Ordinal);

        using var http = new HttpClient();
        var page = await http.GetAsync(new Uri(url));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Hello, Herald", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Points the CLI at <paramref name="sandbox"/> as if it were <c>herald sandbox</c> running standalone.</summary>
    private static Task UseStandaloneSandboxAsync(CliRun run, SandboxServer sandbox) =>
        File.WriteAllTextAsync(run.ConfigPath, JsonSerializer.Serialize(new
        {
            Herald = new { Database = $"Data Source={run.DatabasePath}", Sandbox = new { Url = sandbox.BaseAddress.ToString() } },
        }));
}
