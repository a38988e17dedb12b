using System.Text.RegularExpressions;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;

namespace Herald.Cli.Tests;

public sealed partial class PostCommandTests
{

    [Fact]
    public async Task Post_ExampleToSandbox_PublishesToDevToAndDraftsLinkedIn()
    {
        using var run = new CliRun();

        var (exitCode, output, error) = await run.InvokeAsync("post", CliRun.Example, "--to", "devto,linkedin", "--sandbox");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        Assert.Matches(@"devto\s+✓ published  http://127\.0\.0\.1:\d+/_sandbox/post\?platform=devto&id=\d+", output);
        Assert.Contains("linkedin  ✎ draft ready", output, StringComparison.Ordinal);
        Assert.Contains("│ 🚀 Hello, Herald — write once, publish everywhere", output, StringComparison.Ordinal);
        Assert.Contains("#dotnet", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ImageExampleToAllInTheSandbox_PublishesWhereItCanAndSaysWhereNotAndWhy()
    {
        using var run = new CliRun();
        var example = Path.Combine(CliRun.RepositoryRoot, "examples", "post-with-image.md");

        var (exitCode, output, error) = await run.InvokeAsync("post", example, "--to", "all", "--sandbox");
        var named = await run.InvokeAsync("post", example, "--to", "mastodon,devto", "--sandbox");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        foreach (var platform in new[] { "mastodon", "bluesky", "x" })
        {
            Assert.Matches($@"{platform}\s+✓ published", output);
        }

        Assert.Contains("warning: left out of 'all': devto: title: is required for Dev.to", error, StringComparison.Ordinal);
        Assert.Contains("warning: left out of 'all': threads: images[0].src: is a local file (herald-bell.png) and Threads downloads images from a public URL", error, StringComparison.Ordinal);
        Assert.DoesNotContain("devto ", output, StringComparison.Ordinal);
        // Named targets stay all or nothing: one refusal refuses the command, and nothing is sent.
        Assert.Equal(2, named.ExitCode);
        Assert.Contains("error: nothing was sent.", named.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_StoppedAfterTheFirstTarget_HandsTheRestBackUnsentAndSaysSo()
    {
        using var run = new CliRun();

        var (exitCode, output, error) = await run.InvokeCancellingAsync(
            "✓ published", "post", CliRun.Example, "--to", "devto,mastodon,bluesky", "--sandbox");

        Assert.True(exitCode == 1, $"exit {exitCode}\n{output}\n{error}");
        Assert.Contains("devto     ✓ published", output, StringComparison.Ordinal);
        Assert.DoesNotContain("mastodon  publishing", output, StringComparison.Ordinal);
        Assert.Matches(@"Stopped before sending to mastodon \([0-9a-f]{7,12}\), bluesky \([0-9a-f]{7,12}\)\.", output);
        Assert.Contains("`herald work --sandbox` sends them, `herald cancel --sandbox ID` drops one", output, StringComparison.Ordinal);

        // Handed back at once, due now, the claim not counted: a worker sends them without a lost attempt to count.
        var (_, status, _) = await run.InvokeAsync("status", "--sandbox");
        Assert.Matches(@"mastodon\s+sandbox\s+Scheduled\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+0\s", status);
        Assert.Matches(@"bluesky\s+sandbox\s+Scheduled\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+0\s", status);
        Assert.Matches(@"devto\s+sandbox\s+Published", status);
    }

    [Fact]
    public async Task Post_SameFileTwiceOnTheSandbox_PublishesBothTimes()
    {
        // The repost guard protects real accounts; sandbox accounts are for trying, so the CLI passes "again" for them.
        using var run = new CliRun();

        var first = await run.InvokeAsync("post", CliRun.Example, "--to", "mastodon", "--sandbox");
        var second = await run.InvokeAsync("post", CliRun.Example, "--to", "mastodon", "--sandbox");

        Assert.True(first.ExitCode == 0, $"exit {first.ExitCode}\n{first.Output}\n{first.Error}");
        Assert.True(second.ExitCode == 0, $"exit {second.ExitCode}\n{second.Output}\n{second.Error}");
        Assert.Contains("mastodon  ✓ published", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posted_AfterLinkedInDraft_MarksItPublished()
    {
        using var run = new CliRun();
        var (_, output, _) = await run.InvokeAsync("post", CliRun.Example, "--to", "linkedin", "--sandbox");
        var id = PostedHint().Match(output).Groups["id"].Value;
        Assert.True(id.Length >= 7, output);

        var (exitCode, postedOutput, error) = await run.InvokeAsync(
            "posted", id, "--sandbox", "--url", "https://www.linkedin.com/feed/update/urn:li:share:7012345678901234567/");

        Assert.True(exitCode == 0, error);
        Assert.Contains("marked Published", postedOutput, StringComparison.Ordinal);
        var (againCode, _, againError) = await run.InvokeAsync("posted", id, "--sandbox");
        Assert.Equal(2, againCode);
        Assert.Contains($"id: publication {id} (linkedin) is Published, not awaiting manual action", againError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_DryRun_PrintsPayloadAndSendsNothing()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun(DevToAccount(sandbox));

        var (exitCode, output, _) = await run.InvokeAsync("post", CliRun.Example, "--to", "dev.to", "--dry-run");

        Assert.Equal(0, exitCode);
        Assert.Contains("devto · POST /api/articles", output, StringComparison.Ordinal);
        Assert.Contains("\"body_markdown\"", output, StringComparison.Ordinal);
        Assert.Contains("Dry run: nothing was sent.", output, StringComparison.Ordinal);
        Assert.Empty(sandbox.Requests.All);
    }

    [Theory]
    [InlineData("missing-title.md", "---\ntype: article\ntags: [a]\n---\nBody text.", "title: is required")]
    [InlineData("long-title.md", "---\ntitle: {LONG}\n---\nBody text.", "title: must")]
    [InlineData("malformed.md", "---\ntitle: Hello\ntags: [a, b\n---\nBody text.", "front matter: is not valid YAML")]
    public async Task Post_BadInput_NamesFieldExitsTwoAndSendsNothing(string name, string text, string expected)
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun(DevToAccount(sandbox));
        var file = run.WriteFile(name, text.Replace("{LONG}", new string('a', 200), StringComparison.Ordinal));

        var (exitCode, _, error) = await run.InvokeAsync("post", file, "--to", "devto");

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("nothing was sent", error, StringComparison.Ordinal);
        Assert.Empty(sandbox.Requests.All);
    }

    [Fact]
    public async Task Post_LongTitleForDevTo_SaysTheLimitAndTheLength()
    {
        using var run = new CliRun();
        var file = run.WriteFile("long.md", $"---\ntitle: {new string('a', 200)}\n---\nBody text.");

        var (exitCode, _, error) = await run.InvokeAsync("post", file, "--to", "devto", "--sandbox");

        Assert.Equal(2, exitCode);
        Assert.Contains("128", error, StringComparison.Ordinal);
        Assert.Contains("200", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_UnknownPlatform_ListsKnownOnesAndSendsNothing()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun(DevToAccount(sandbox));

        var (exitCode, _, error) = await run.InvokeAsync("post", CliRun.Example, "--to", "devto,myspace");

        Assert.Equal(2, exitCode);
        Assert.Contains("--to: unknown platform 'myspace'; known platforms: devto, linkedin", error, StringComparison.Ordinal);
        Assert.Empty(sandbox.Requests.All);
    }

    [Fact]
    public async Task Post_MissingFile_NamesIt()
    {
        using var run = new CliRun();

        var (exitCode, _, error) = await run.InvokeAsync("post", "/nonexistent/article.md", "--to", "devto");

        Assert.Equal(2, exitCode);
        Assert.Contains("file: '/nonexistent/article.md' does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_DevToRefusesKey_ExitsOneWithoutLeakingTheKey()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        const string wrongKey = "not-the-right-key-4711";
        using var run = new CliRun(new Dictionary<string, object>
        {
            ["devto"] = new Dictionary<string, object>
            {
                ["BaseUrl"] = sandbox.PlatformBaseUrl("devto").ToString(),
                ["Credentials"] = new Dictionary<string, string> { ["api_key"] = wrongKey },
            },
        });

        var (exitCode, output, error) = await run.InvokeAsync("post", CliRun.Example, "--to", "devto");

        Assert.Equal(1, exitCode);
        Assert.Contains("devto     ✗ failed", output, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, output + error, StringComparison.Ordinal);
    }

    private static Dictionary<string, object> DevToAccount(SandboxServer sandbox) => new()
    {
        ["devto"] = new Dictionary<string, object>
        {
            ["BaseUrl"] = sandbox.PlatformBaseUrl("devto").ToString(),
            ["Credentials"] = new Dictionary<string, string> { ["api_key"] = SandboxAccounts.DevToKey },
        },
    };

    [GeneratedRegex(@"herald posted (?<id>[0-9a-f]{7,12}) ")]
    private static partial Regex PostedHint();
}
