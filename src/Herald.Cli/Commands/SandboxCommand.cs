using System.CommandLine;
using System.Text.Json;
using Herald.Cli.Output;
using Herald.Sandbox.Hosting;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald sandbox [--port N] [--no-rate-limits] [--faults JSON] [--seed N]</c>: run the platform simulator
/// standalone until Ctrl+C.
/// </summary>
internal static class SandboxCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var port = new Option<int>("--port") { Description = "The loopback port to listen on (default 5980; 0 picks a free one).", DefaultValueFactory = _ => 5980 };
        var noRateLimits = new Option<bool>("--no-rate-limits") { Description = "Switch off every simulated limit: no 429 from a platform's windows or quotas, no rate-limit headers, no Threads quota." };
        var faults = new Option<string?>("--faults") { Description = "Faults from the start, as the JSON body of PUT /_sandbox/faults, e.g. '{\"serverErrorRate\":0.02,\"serverErrorAfterCommitRate\":0.02}'." };
        var seed = new Option<int?>("--seed") { Description = "Seed the sandbox's randomness (faults, ids) for a repeatable run." };
        var command = new Command("sandbox", $"Run the local platform simulator ({string.Join(", ", SandboxPlatforms.All.Select(p => p.DisplayName))}) on loopback.") { port, noRateLimits, faults, seed };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var reporter = new Reporter(output, error);
            var chosen = parse.GetValue(port);
            if (chosen is < 0 or > 65535)
            {
                reporter.Error($"--port: must be between 0 and 65535, not {chosen}");
                return HeraldCommandLine.BadInput;
            }

            SandboxFaults initial;
            try
            {
                initial = parse.GetValue(faults) is { Length: > 0 } json
                    ? JsonSerializer.Deserialize<SandboxFaults>(json, JsonSerializerOptions.Web) ?? SandboxFaults.None
                    : SandboxFaults.None;
            }
            catch (JsonException ex)
            {
                reporter.Error($"--faults: must be a JSON object with the fields of PUT /_sandbox/faults ({ex.Message})");
                return HeraldCommandLine.BadInput;
            }

            var options = new SandboxOptions
            {
                Port = chosen,
                DisableRateLimits = parse.GetValue(noRateLimits),
                Faults = initial,
                Random = parse.GetValue(seed) is { } s ? new Random(s) : new Random(),
            };
            await using var sandbox = await SandboxServer.StartAsync(options, cancellationToken);
            reporter.Line($"Herald sandbox listening on {sandbox.BaseAddress}");
            foreach (var platform in SandboxPlatforms.All)
            {
                reporter.Line(AccountLine(platform, sandbox.PlatformBaseUrl(platform.Id)));
            }

            reporter.Line($"  Requests  {new Uri(sandbox.BaseAddress, "_sandbox/requests")}   posts: {new Uri(sandbox.BaseAddress, "_sandbox/posts")}   faults: PUT {new Uri(sandbox.BaseAddress, "_sandbox/faults")}");
            if (options.DisableRateLimits)
            {
                reporter.Line("  Rate limits: off (no 429 from limits, no rate-limit headers, no Threads quota).");
            }

            reporter.Line($"  Faults    {JsonSerializer.Serialize(sandbox.State.Faults, JsonSerializerOptions.Web)}");
            reporter.Line("Press Ctrl+C to stop.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                reporter.Line("Sandbox stopped.");
            }

            return HeraldCommandLine.Ok;
        });
        return command;
    }

    /// <summary>One platform's line: where it listens and the fixed account to try it with (fake credentials that open nothing real).</summary>
    private static string AccountLine(SandboxPlatform platform, Uri baseUrl)
    {
        var account = platform.Account.Credentials.Concat(platform.Account.Settings).Select(pair => $"{pair.Key}: {pair.Value}");
        var note = platform.Account.Note is { } text ? $"  ({text})" : "";
        return $"  {platform.DisplayName,-9} base URL {baseUrl}   {string.Join("  ", account)}{note}";
    }
}
