using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Cli;
using Herald.Sandbox.Hosting;
using Herald.Testing;

namespace Herald.Cli.Tests;

/// <summary>Runs the real <c>herald</c> command in-process with its own settings file and SQLite database.</summary>
internal sealed class CliRun : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("herald-cli-").FullName;

    public CliRun(Dictionary<string, object>? accounts = null)
    {
        DatabasePath = Path.Combine(_directory, "herald.db");
        var settings = new Dictionary<string, object>
        {
            ["Herald"] = new Dictionary<string, object>
            {
                ["Database"] = $"Data Source={DatabasePath}",
                ["Accounts"] = accounts ?? new Dictionary<string, object>(),
            },
        };
        ConfigPath = Path.Combine(_directory, "herald.json");
        File.WriteAllText(ConfigPath, JsonSerializer.Serialize(settings));
    }

    public string ConfigPath { get; }

    public string DatabasePath { get; }

    public static string RepositoryRoot => RepositoryPaths.Root;

    /// <summary>The example article every quick start uses.</summary>
    public static string Example => Path.Combine(RepositoryRoot, "examples", "hello-herald.md");

    /// <summary>
    /// Accounts of <paramref name="platforms"/> configured as real ones (their own base URL and credentials) that
    /// point at <paramref name="sandbox"/>: publications in the user's own database, sent over real HTTP.
    /// </summary>
    public static Dictionary<string, object> AccountsOn(SandboxServer sandbox, params string[] platforms) =>
        platforms.ToDictionary(id => id, object (id) =>
        {
            var simulated = SandboxPlatforms.Find(id)!;
            return new Dictionary<string, object>
            {
                ["BaseUrl"] = sandbox.PlatformBaseUrl(id).ToString(),
                ["Credentials"] = simulated.Account.Credentials.ToDictionary(),
                ["Settings"] = simulated.Account.Settings.ToDictionary(),
            };
        });

    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public async Task<(int ExitCode, string Output, string Error)> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        // Not at a terminal, whatever runs the tests: commands take flags only.
        var exitCode = await HeraldCommandLine.InvokeAsync([.. args, "--config", ConfigPath], output, error, new NoTerminal());
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs the command as if at a terminal, <paramref name="prompt"/> answering its questions.</summary>
    public async Task<(int ExitCode, string Output, string Error)> InvokeAsync(Herald.Cli.Accounts.IPrompt prompt, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await HeraldCommandLine.InvokeAsync([.. args, "--config", ConfigPath], output, error, prompt);
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Points <c>--sandbox</c> commands at <paramref name="sandbox"/> (as if <c>herald sandbox</c> ran there), keeping the accounts configured.</summary>
    public void UseStandaloneSandbox(SandboxServer sandbox, Dictionary<string, object>? accounts = null) =>
        File.WriteAllText(ConfigPath, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Herald"] = new Dictionary<string, object>
            {
                ["Database"] = $"Data Source={DatabasePath}",
                ["Sandbox"] = new Dictionary<string, object> { ["Url"] = sandbox.BaseAddress.ToString() },
                ["Accounts"] = accounts ?? new Dictionary<string, object>(),
            },
        }));

    /// <summary>Sets <c>Herald:{section}</c> in the settings file to <paramref name="values"/>, keeping the rest.</summary>
    public void SetSection(string section, Dictionary<string, object> values)
    {
        var settings = JsonNode.Parse(File.ReadAllText(ConfigPath))!;
        settings["Herald"]![section] = JsonSerializer.SerializeToNode(values);
        File.WriteAllText(ConfigPath, settings.ToJsonString());
    }

    /// <summary>Sets <c>Herald:{key}</c> in the settings file to <paramref name="value"/>, keeping the rest.</summary>
    public void SetSetting(string key, string value)
    {
        var settings = JsonNode.Parse(File.ReadAllText(ConfigPath))!;
        settings["Herald"]![key] = value;
        File.WriteAllText(ConfigPath, settings.ToJsonString());
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="name"/> in the run's folder (next to files from <see cref="WriteFile"/>).</summary>
    public string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Runs the command and cancels it (as Ctrl+C does) as soon as its output contains <paramref name="cancelAt"/>.</summary>
    public async Task<(int ExitCode, string Output, string Error)> InvokeCancellingAsync(string cancelAt, params string[] args)
    {
        using var stop = new CancellationTokenSource();
        using var output = new CancellingWriter(cancelAt, stop);
        using var error = new StringWriter();
        var exitCode = await HeraldCommandLine.InvokeAsync([.. args, "--config", ConfigPath], output, error, stop.Token);
        return (exitCode, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>Output that cancels a run once a given text has been written, the way a user presses Ctrl+C on seeing it.</summary>
internal sealed class CancellingWriter(string cancelAt, CancellationTokenSource stop) : StringWriter
{
    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        if (value?.Contains(cancelAt, StringComparison.Ordinal) == true)
        {
            stop.Cancel();
        }
    }
}
