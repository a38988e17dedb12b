using System.CommandLine;
using System.Text.Json;
using Herald.Cli.Output;
using Herald.Sandbox;
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
        var command = new Command("sandbox", "Run the local platform simulator (Dev.to, LinkedIn, X, Medium, Mastodon, Bluesky, Threads) on loopback.") { port, noRateLimits, faults, seed };
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
            reporter.Line($"  Dev.to    base URL {sandbox.PlatformBaseUrl("devto")}   api-key: {SandboxAccounts.DevToKey}");
            reporter.Line($"  LinkedIn  base URL {sandbox.PlatformBaseUrl("linkedin")}   token: {SandboxAccounts.LinkedInToken}  author: {SandboxAccounts.LinkedInAuthorUrn}");
            reporter.Line($"  X         base URL {sandbox.PlatformBaseUrl("x")}   bearer: {SandboxAccounts.XAccessToken}  (OAuth 1.0a: {SandboxAccounts.XConsumerKey} / {SandboxAccounts.XOAuth1Token})");
            reporter.Line($"  Medium    base URL {sandbox.PlatformBaseUrl("medium")}   token: {SandboxAccounts.MediumToken}");
            reporter.Line($"  Mastodon  base URL {sandbox.PlatformBaseUrl("mastodon")}   token: {SandboxAccounts.MastodonToken}");
            reporter.Line($"  Bluesky   base URL {sandbox.PlatformBaseUrl("bluesky")}   identifier: {SandboxAccounts.BlueskyHandle}  app password: {SandboxAccounts.BlueskyAppPassword}");
            reporter.Line($"  Threads   base URL {sandbox.PlatformBaseUrl("threads")}   access_token: {SandboxAccounts.ThreadsToken}  user_id: {SandboxAccounts.ThreadsUserId}");
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
}
