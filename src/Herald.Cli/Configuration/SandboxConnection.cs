using Herald.Sandbox.Hosting;
using Microsoft.Extensions.Configuration;

namespace Herald.Cli.Configuration;

/// <summary>
/// The sandbox a <c>--sandbox</c> command publishes to: the standalone one (<c>herald sandbox</c>, at
/// <see cref="CliConfiguration.SandboxUrl"/>) when it answers, so that the post pages Herald prints stay open after
/// the command ends; otherwise one started in this process for as long as the command runs.
/// </summary>
internal sealed class SandboxConnection : IAsyncDisposable
{
    private readonly SandboxServer? _owned;

    private SandboxConnection(Uri baseAddress, SandboxServer? owned)
    {
        BaseAddress = baseAddress;
        _owned = owned;
    }

    public Uri BaseAddress { get; }

    /// <summary>True when this is a standalone sandbox that outlives the command.</summary>
    public bool Standalone => _owned is null;

    public Uri PlatformBaseUrl(string platform) => new(BaseAddress, SandboxPlatforms.Find(platform)?.BasePath
        ?? throw new CliInputException($"--sandbox: the sandbox does not simulate '{platform}'"));

    /// <summary>The sandbox's page of a post it received: what Herald prints instead of the real platform's URL, where the post does not exist.</summary>
    public static Uri? PostUrl(Uri sandbox, string platform, string? externalId) =>
        externalId is null ? null : SandboxLinks.Post(sandbox, platform, externalId);

    public static async Task<SandboxConnection> OpenAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var standalone = CliConfiguration.SandboxUrl(configuration);
        if (await AnswersAsync(standalone, cancellationToken))
        {
            return new SandboxConnection(standalone, null);
        }

        var server = await SandboxServer.StartAsync(cancellationToken: cancellationToken);
        return new SandboxConnection(server.BaseAddress, server);
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null)
        {
            await _owned.DisposeAsync();
        }
    }

    private static async Task<bool> AnswersAsync(Uri sandbox, CancellationToken cancellationToken)
    {
        // Nothing listening is refused at once; the timeout only bounds a sandbox that is up but busy.
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(new Uri(sandbox, "_sandbox/"), cancellationToken);
            return response.IsSuccessStatusCode &&
                   (await response.Content.ReadAsStringAsync(cancellationToken)).Contains("\"platforms\"", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
