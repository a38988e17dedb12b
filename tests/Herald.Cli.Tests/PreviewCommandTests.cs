using System.Text.Json;

namespace Herald.Cli.Tests;

public sealed class PreviewCommandTests
{

    [Fact]
    public async Task Preview_Json_GivesPlatformPartsTextCountAndLimit()
    {
        using var run = new CliRun();

        var (exitCode, output, error) = await run.InvokeAsync("preview", CliRun.Example, "--to", "linkedin,devto", "--json");

        Assert.True(exitCode == 0, error);
        using var json = JsonDocument.Parse(output);
        var linkedIn = json.RootElement[0];
        Assert.Equal("linkedin", linkedIn.GetProperty("platform").GetString());
        var part = Assert.Single(linkedIn.GetProperty("parts").EnumerateArray());
        Assert.StartsWith("🚀 Hello, Herald", part.GetProperty("text").GetString());
        Assert.Equal(part.GetProperty("text").GetString()!.EnumerateRunes().Count(), part.GetProperty("count").GetInt32());
        Assert.Equal(3000, part.GetProperty("limit").GetInt32());
        Assert.True(part.GetProperty("fits").GetBoolean());
        var devTo = json.RootElement[1];
        Assert.Equal("POST /api/articles", devTo.GetProperty("endpoint").GetString());
        Assert.Contains("\"body_markdown\"", devTo.GetProperty("body").GetString());
        Assert.Equal("api_key", Assert.Single(devTo.GetProperty("problems").EnumerateArray()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Preview_Text_ShowsCountsAndWhatWouldBeRefused()
    {
        using var run = new CliRun();

        var (exitCode, output, _) = await run.InvokeAsync("preview", CliRun.Example, "--to", "linkedin,devto");

        Assert.Equal(0, exitCode);
        Assert.Matches(@"┌─ \d+/3000 code points ─", output);
        Assert.Contains("! would be refused: api_key: is required", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_UnknownPlatform_ExitsTwoNamingIt()
    {
        using var run = new CliRun();

        var (exitCode, _, error) = await run.InvokeAsync("preview", CliRun.Example, "--to", "myspace");

        Assert.Equal(2, exitCode);
        Assert.Contains("--to: unknown platform 'myspace'", error, StringComparison.Ordinal);
    }
}
