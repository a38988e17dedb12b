using System.Text.RegularExpressions;

namespace Herald.Cli.Tests;

/// <summary><c>herald work</c> without a terminal: plain, stable lines — one per finished attempt — and the totals when it stops.</summary>
public sealed class WorkCommandTests
{
    [Fact]
    public async Task Work_Sandbox_PrintsEachPublicationThenTheTotals()
    {
        using var run = new CliRun();
        var scheduled = await run.InvokeAsync("post", CliRun.Example, "--to", "mastodon,bluesky", "--sandbox", "--at", "now");
        var later = await run.InvokeAsync("post", CliRun.Example, "--to", "devto", "--sandbox", "--at", "+3d");
        Assert.True(scheduled.ExitCode == 0, scheduled.Error);
        Assert.True(later.ExitCode == 0, later.Error);

        // Stops (as Ctrl+C does) once the second publication is reported.
        var (exitCode, output, error) = await run.InvokeCancellingAsync("bluesky   ", "work", "--sandbox", "--plain");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        Assert.Matches(@"Herald workers running on Sqlite with a sandbox at http://127\.0\.0\.1:\d+/\. Press Ctrl\+C to stop\.", output);
        Assert.Matches(@"  mastodon  [0-9a-f]{7}  ✓ published  http://127\.0\.0\.1:\d+/_sandbox/post\?platform=mastodon&id=", output);
        Assert.Matches(@"  bluesky   [0-9a-f]{7}  ✓ published  ", output);
        Assert.Matches(@"Workers stopped: 2 published · 0 failed · 0 retrying · next due \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\.", output);
        Assert.DoesNotMatch(new Regex("\u001b\\["), output);
    }
}
