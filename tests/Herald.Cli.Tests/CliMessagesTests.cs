using System.Text.RegularExpressions;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;

namespace Herald.Cli.Tests;

/// <summary>
/// One rule for every refusal: exit 2 with a line that names the field and the rule, parse errors and configuration
/// included; no .NET parameter names in messages.
/// </summary>
public sealed class CliMessagesTests
{

    [Fact]
    public async Task Post_WithoutTo_ExitsTwoNamingTheOption()
    {
        using var run = new CliRun();

        var (exitCode, _, error) = await run.InvokeAsync("post", CliRun.Example);

        Assert.Equal(2, exitCode);
        Assert.Contains("error: Option '--to' is required.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_MistypedOption_ExitsTwoNamingIt()
    {
        using var run = new CliRun();

        var (exitCode, _, error) = await run.InvokeAsync("post", CliRun.Example, "--to", "devto", "--sandbx");

        Assert.Equal(2, exitCode);
        Assert.Contains("--sandbx", error, StringComparison.Ordinal);
        Assert.Contains("herald post --help", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_ExitsTwoNamingIt()
    {
        using var run = new CliRun();

        var (exitCode, _, error) = await run.InvokeAsync("pots", CliRun.Example);

        Assert.Equal(2, exitCode);
        Assert.Contains("'pots'", error, StringComparison.Ordinal);
        Assert.Contains("herald --help", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_MalformedConfigJson_NamesTheFileAndLineAndExitsTwo()
    {
        using var run = new CliRun();
        await File.WriteAllTextAsync(run.ConfigPath, "{\n  \"Herald\": {\n    \"Database\": \"x.db\",,\n  }\n}\n");

        var (exitCode, _, error) = await run.InvokeAsync("status");

        Assert.Equal(2, exitCode);
        Assert.Contains(run.ConfigPath, error, StringComparison.Ordinal);
        Assert.Contains("line 3", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_UnusableSettings_ExitsTwo()
    {
        using var run = new CliRun();
        await File.WriteAllTextAsync(run.ConfigPath, "{\"Herald\": {\"Workers\": {\"LeaseDuration\": \"soon\"}}}");

        var (exitCode, _, error) = await run.InvokeAsync("status");

        Assert.Equal(2, exitCode);
        Assert.Contains("Herald:Workers:LeaseDuration must be a duration", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cancel", "not-hex!")]
    [InlineData("retry", "abcdef")]
    [InlineData("status", "xyz")]
    public async Task ChangeOrStatus_BadId_SaysTheRuleWithoutParameterName(string command, string id)
    {
        using var run = new CliRun();

        var (exitCode, _, error) = await run.InvokeAsync(command, id);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: id: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("post")]
    [InlineData("preview")]
    public async Task PostOrPreview_DirectoryAsFile_SaysItIsADirectory(string command)
    {
        using var run = new CliRun();
        var directory = Path.GetDirectoryName(run.ConfigPath)!;

        var (exitCode, _, error) = await run.InvokeAsync(command, directory, "--to", "devto");

        Assert.Equal(2, exitCode);
        Assert.Contains($"file: '{directory}' is a directory, not a Markdown file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_DirectoryAsConfig_SaysItIsADirectory()
    {
        using var run = new CliRun();
        var directory = Path.GetDirectoryName(run.ConfigPath)!;

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await HeraldCommandLine.InvokeAsync(["status", "--config", directory], output, error);

        Assert.Equal(2, exitCode);
        Assert.Contains($"--config: '{directory}' is a directory, not a JSON file", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_TemporaryFailure_SaysWhenTheRetryIsDueAndThatHeraldWorkSendsIt()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            Faults = new SandboxFaults { ServerErrorRate = 1 },
        });
        using var run = new CliRun(new Dictionary<string, object>
        {
            ["mastodon"] = new Dictionary<string, object>
            {
                ["BaseUrl"] = sandbox.PlatformBaseUrl("mastodon").ToString(),
                ["Credentials"] = new Dictionary<string, string> { ["access_token"] = SandboxAccounts.MastodonToken },
            },
        });

        var (exitCode, output, error) = await run.InvokeAsync("post", CliRun.Example, "--to", "mastodon");

        Assert.True(exitCode == 1, $"exit {exitCode}\n{output}\n{error}");
        Assert.True(Regex.IsMatch(output, @"mastodon\s+✗ .* — retry due at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"), output);
        Assert.Contains("Nothing sends it until `herald work` runs", output, StringComparison.Ordinal);
    }
}
