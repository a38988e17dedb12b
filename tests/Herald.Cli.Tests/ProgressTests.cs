using System.Text.RegularExpressions;

namespace Herald.Cli.Tests;

/// <summary>Long work shows itself as it goes: each part of a thread as the platform confirms it.</summary>
public sealed class ProgressTests
{
    [Fact]
    public async Task Post_LongThread_ReportsEachPartAsItIsSentOnStderr()
    {
        using var run = new CliRun();
        var paragraph = string.Join(' ', Enumerable.Repeat("Herald publishes one Markdown file everywhere, each platform in its own format.", 5));
        var file = run.WriteFile("thread.md", string.Join("\n\n", Enumerable.Range(1, 8).Select(n => $"{n}. {paragraph}")));

        var (exitCode, output, error) = await run.InvokeAsync("post", file, "--to", "mastodon", "--sandbox");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        var total = int.Parse(Regex.Match(error, @"mastodon  part 1 of (?<n>\d+) sent").Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(total >= 5, error);
        var sent = Regex.Matches(error, $@"mastodon  part (?<i>\d+) of {total} sent").Select(m => int.Parse(m.Groups["i"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(1, total), sent);
        Assert.DoesNotContain("part", output, StringComparison.Ordinal);
        Assert.Contains("mastodon  ✓ published", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_Json_GivesThePublicationsCreatedAndNoProgress()
    {
        using var run = new CliRun();
        var paragraph = string.Join(' ', Enumerable.Repeat("Herald publishes one Markdown file everywhere, each platform in its own format.", 5));
        var file = run.WriteFile("thread.md", string.Join("\n\n", Enumerable.Range(1, 4).Select(n => $"{n}. {paragraph}")));

        var (exitCode, output, error) = await run.InvokeAsync("post", file, "--to", "mastodon,linkedin", "--sandbox", "--json");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        Assert.Equal("", error);
        var publications = System.Text.Json.JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal(["mastodon", "linkedin"], publications.Select(p => p.GetProperty("platform").GetString()));
        Assert.Equal(["Published", "AwaitingManualAction"], publications.Select(p => p.GetProperty("status").GetString()));
        Assert.All(publications, p => Assert.True(p.GetProperty("sandbox").GetBoolean()));
        Assert.Contains("/_sandbox/post?platform=mastodon&id=", publications[0].GetProperty("url").GetString(), StringComparison.Ordinal);

        var (scheduledCode, scheduled, _) = await run.InvokeAsync("post", CliRun.Example, "--to", "devto", "--sandbox", "--at", "+1h", "--json");
        Assert.Equal(0, scheduledCode);
        Assert.Equal("Scheduled", System.Text.Json.JsonDocument.Parse(scheduled).RootElement[0].GetProperty("status").GetString());
    }
}
