using System.Text.Json;
using Herald.Sandbox.Hosting;

namespace Herald.Cli.Tests;

/// <summary><c>herald init</c> writes settings every command reads; <c>herald doctor</c> checks a setup line by line, each ✗ with its fix.</summary>
public sealed class InitDoctorTests
{
    [Fact]
    public async Task Init_WritesACommentedSettingsFileThatEveryCommandReads()
    {
        using var run = new CliRun();
        var directory = Path.GetDirectoryName(run.ConfigPath)!;
        var settings = Path.Combine(directory, "init", "appsettings.json");
        var database = Path.Combine(directory, "init.db");

        var (exitCode, output, error) = await InvokeAsync("init", "--path", settings, "--database", database);

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        Assert.Contains($"✓ Wrote {settings}", output, StringComparison.Ordinal);
        Assert.Contains($"Credential key  {Path.Combine(directory, "herald.key")}", output, StringComparison.Ordinal);
        Assert.Contains($"Sandbox         Data Source={Path.Combine(directory, "init.sandbox.db")}", output, StringComparison.Ordinal);
        Assert.Contains("// ", await File.ReadAllTextAsync(settings), StringComparison.Ordinal);
        var (statusCode, status, statusError) = await InvokeAsync("status", "--config", settings);
        Assert.True(statusCode == 0, statusError);
        Assert.Contains("No publications yet", status, StringComparison.Ordinal);
        Assert.True(File.Exists(database));

        var (again, _, againError) = await InvokeAsync("init", "--path", settings);
        Assert.Equal(2, again);
        Assert.Contains("exists; add --force to overwrite it", againError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_FreshSetup_EveryCheckPassesAndJsonNamesEach()
    {
        using var run = new CliRun();

        var (exitCode, output, error) = await run.InvokeAsync("doctor");
        var (_, json, _) = await run.InvokeAsync("doctor", "--json");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        Assert.DoesNotContain("✗", output, StringComparison.Ordinal);
        Assert.Contains("✓ database     Sqlite:", output, StringComparison.Ordinal);
        Assert.Contains("✓ overdue      no publication is overdue", output, StringComparison.Ordinal);
        var checks = JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
        Assert.Contains(checks, c => c.GetProperty("name").GetString() == "key" && c.GetProperty("ok").GetBoolean());
        Assert.All(checks, c => Assert.Equal(["name", "ok", "detail", "fix"], c.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public async Task Doctor_DuePublicationWithoutWorker_SaysToRunHeraldWorkAndExitsOne()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun(CliRun.AccountsOn(sandbox, "mastodon"));
        var (postCode, _, postError) = await run.InvokeAsync("post", CliRun.Example, "--to", "mastodon", "--at", "now");
        Assert.True(postCode == 0, postError);

        var (exitCode, output, _) = await run.InvokeAsync("doctor");

        Assert.Equal(1, exitCode);
        Assert.Contains("✗ overdue      1 publication is due and waiting", output, StringComparison.Ordinal);
        Assert.Contains("fix: run `herald work`", output, StringComparison.Ordinal);
        Assert.Matches(@"✓ mastodon:default works: Mastodon accepted the credentials .+ They belong to ", output);
    }

    [Fact]
    public async Task Doctor_RefusedCredentials_EachAccountItsLineAndFix_NeverTheCredential()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun(CliRun.AccountsOn(sandbox, "devto"));
        var secret = $"sentinel-{Guid.NewGuid():N}";
        await run.InvokeAsync("accounts", "add", "mastodon:work", "--base-url", sandbox.PlatformBaseUrl("mastodon").ToString(), "--credential", $"access_token={secret}");

        var (exitCode, output, error) = await run.InvokeAsync("doctor");
        var (_, json, _) = await run.InvokeAsync("doctor", "--json");

        Assert.Equal(1, exitCode);
        Assert.Matches(@"✓ devto:default works: ", output);
        Assert.Contains("✗ mastodon:work credentials refused: Mastodon refused the credentials", output, StringComparison.Ordinal);
        Assert.Contains("fix: enter them again: herald accounts remove mastodon:work, then herald accounts add mastodon:work", output, StringComparison.Ordinal);
        var check = Assert.Single(JsonDocument.Parse(json).RootElement.EnumerateArray(), c => c.GetProperty("name").GetString() == "mastodon:work");
        Assert.False(check.GetProperty("ok").GetBoolean());
        Assert.DoesNotContain(secret, output + error + json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_UnusableSetting_NamesItWithTheFix()
    {
        using var run = new CliRun();
        await File.WriteAllTextAsync(run.ConfigPath, "{\"Herald\": {\"Workers\": {\"LeaseDuration\": \"soon\"}}}");

        var (exitCode, output, _) = await run.InvokeAsync("doctor");

        Assert.Equal(1, exitCode);
        Assert.Contains("✗ settings     ", output, StringComparison.Ordinal);
        Assert.Contains("Herald:Workers:LeaseDuration must be a duration", output, StringComparison.Ordinal);
        Assert.Contains("fix: correct the setting named", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_AtATerminal_AsksWithDefaults_FlagsNotAskedAgain()
    {
        var directory = Directory.CreateTempSubdirectory("herald-init-").FullName;
        var settings = Path.Combine(directory, "asked", "appsettings.json");
        var database = Path.Combine(directory, "asked.db");
        var prompt = new ScriptedPrompt(settings, database);

        var (exitCode, output, error) = await InvokeAsync(prompt, "init");
        var flagged = new ScriptedPrompt("");
        var (withFlag, _, flagError) = await InvokeAsync(flagged, "init", "--path", settings, "--database", database);
        var keep = new ScriptedPrompt("n");
        var (kept, _, keptError) = await InvokeAsync(keep, "init", "--path", settings, "--database", database);
        var overwrite = new ScriptedPrompt("y");
        var (overwritten, overwriteOutput, _) = await InvokeAsync(overwrite, "init", "--path", settings, "--database", database);

        Assert.True(exitCode == 0, error);
        Assert.Equal(["Settings file", "Database (a SQLite file, or PostgreSQL: Host=…;Database=…)"], prompt.Questions);
        Assert.Contains($"✓ Wrote {settings}", output, StringComparison.Ordinal);
        Assert.Contains(database, await File.ReadAllTextAsync(settings), StringComparison.Ordinal);
        Assert.Equal(2, withFlag);
        Assert.Equal([$"{settings} exists. Overwrite it? (y/N)"], flagged.Questions);
        Assert.Contains("exists; add --force to overwrite it", flagError, StringComparison.Ordinal);
        Assert.Equal(2, kept);
        Assert.Contains("exists; add --force", keptError, StringComparison.Ordinal);
        Assert.Equal(0, overwritten);
        Assert.Contains($"✓ Wrote {settings}", overwriteOutput, StringComparison.Ordinal);
        Directory.Delete(directory, recursive: true);
    }

    private static Task<(int ExitCode, string Output, string Error)> InvokeAsync(params string[] args) => InvokeAsync(new NoTerminal(), args);

    private static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(Herald.Cli.Accounts.IPrompt prompt, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await HeraldCommandLine.InvokeAsync(args, output, error, prompt);
        return (exitCode, output.ToString(), error.ToString());
    }
}
