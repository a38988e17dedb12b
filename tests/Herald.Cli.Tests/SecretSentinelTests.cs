using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;

namespace Herald.Cli.Tests;

/// <summary>Runs alone: it points the process console at its own writers to read what the console logger writes.</summary>
[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;

/// <summary>
/// What the <c>herald</c> command prints — its output, its errors and its <c>--verbose</c> console log — holds no
/// credential: neither the sandbox's own accounts' secrets, nor a session token the sandbox hands out, nor random
/// sentinel credentials a platform refuses.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed partial class SecretSentinelTests
{

    [Fact]
    public async Task Cli_PostStatusAndRefusedPost_PrintNoCredential()
    {
        // The --sandbox accounts' secrets: the CLI sends them, so they must not come back out.
        List<string> secrets =
        [
            SandboxAccounts.DevToKey, SandboxAccounts.LinkedInToken, SandboxAccounts.XAccessToken, SandboxAccounts.MediumToken,
            SandboxAccounts.MastodonToken, SandboxAccounts.BlueskyAppPassword, SandboxAccounts.ThreadsToken,
        ];
        var sentinels = Enumerable.Range(0, 7).Select(_ => $"sentinel-{RandomNumberGenerator.GetHexString(32, lowercase: true)}").ToList();
        secrets.AddRange(sentinels);
        await using var sandbox = await SandboxServer.StartAsync();
        using var run = new CliRun(new Dictionary<string, object>
        {
            ["devto"] = Configured(sandbox, "devto", new() { ["api_key"] = sentinels[0] }),
            ["linkedin"] = Configured(sandbox, "linkedin", new() { ["access_token"] = sentinels[1] },
                new() { ["mode"] = "api", ["author_urn"] = SandboxAccounts.LinkedInAuthorUrn }),
            ["x"] = Configured(sandbox, "x", new() { ["access_token"] = sentinels[2] }),
            ["medium"] = Configured(sandbox, "medium", new() { ["access_token"] = sentinels[3] }),
            ["mastodon"] = Configured(sandbox, "mastodon", new() { ["access_token"] = sentinels[4] }),
            ["bluesky"] = Configured(sandbox, "bluesky", new() { ["identifier"] = SandboxAccounts.BlueskyHandle, ["app_password"] = sentinels[5] }),
            ["threads"] = Configured(sandbox, "threads", new() { ["access_token"] = sentinels[6] }, new() { ["user_id"] = SandboxAccounts.ThreadsUserId }),
        });
        const string everywhere = "devto,linkedin,x,medium,mastodon,bluesky,threads";

        var (sandboxed, sandboxLog) = await CapturedAsync(() => run.InvokeAsync("post", CliRun.Example, "--to", everywhere, "--sandbox", "--verbose"));
        var (refused, refusedLog) = await CapturedAsync(() => run.InvokeAsync("post", CliRun.Example, "--to", everywhere, "--again", "--verbose"));
        var (status, statusLog) = await CapturedAsync(() => run.InvokeAsync("status"));

        Assert.True(sandboxed.ExitCode == 0, $"exit {sandboxed.ExitCode}\n{sandboxed.Output}\n{sandboxed.Error}");
        Assert.Contains("bluesky   ✓ published", sandboxed.Output, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal(7, Regex.Count(refused.Output, "✗ failed"));
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("devto", status.Output, StringComparison.Ordinal);
        Assert.Contains("HttpClient", sandboxLog + refusedLog, StringComparison.Ordinal);
        // Negative control: the scan sees a secret, and a session token, when they are there.
        Assert.Equal([sentinels[5]], Leaks($"password={sentinels[5]}.", secrets));
        Assert.Equal(["session token"], Leaks("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkaWQifQ.c2lnbmF0dXJl", secrets));

        var printed = new[]
        {
            sandboxed.Output, sandboxed.Error, sandboxLog, refused.Output, refused.Error, refusedLog, status.Output, status.Error, statusLog,
        };
        var leaks = printed.SelectMany(text => Leaks(text, secrets).Select(secret => $"{secret} in:\n{text}")).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n\n", leaks));
    }

    /// <summary>The secrets a text holds (as whole words, so a client id that starts like a token is no match), and any JWT.</summary>
    private static List<string> Leaks(string text, IEnumerable<string> secrets)
    {
        var found = secrets.Where(s => Regex.IsMatch(text, $@"(?<![\w-]){Regex.Escape(s)}(?![\w-])")).ToList();
        if (Jwt().IsMatch(text))
        {
            found.Add("session token");
        }

        return found;
    }

    /// <summary>Runs a command with the process console captured, for the console logger's lines.</summary>
    private static async Task<((int ExitCode, string Output, string Error) Result, string Console)> CapturedAsync(
        Func<Task<(int ExitCode, string Output, string Error)>> command)
    {
        var (output, error) = (System.Console.Out, System.Console.Error);
        using var console = new StringWriter();
        System.Console.SetOut(console);
        System.Console.SetError(console);
        try
        {
            // The command disposes its services before it returns, which flushes the console logger.
            var result = await command();
            return (result, console.ToString());
        }
        finally
        {
            System.Console.SetOut(output);
            System.Console.SetError(error);
        }
    }

    private static Dictionary<string, object> Configured(
        SandboxServer sandbox, string platform, Dictionary<string, string> credentials, Dictionary<string, string>? settings = null) => new()
        {
            ["BaseUrl"] = sandbox.PlatformBaseUrl(platform).ToString(),
            ["Credentials"] = credentials,
            ["Settings"] = settings ?? new Dictionary<string, string>(),
        };

    [GeneratedRegex(@"eyJ[\w-]{8,}\.[\w-]{8,}")]
    private static partial Regex Jwt();
}
