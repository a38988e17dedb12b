using Herald.Accounts;
using Herald.Workers;

namespace Herald.Cli.Configuration;

/// <summary>
/// The setting that marks a sandbox account. Such accounts are stored without the sandbox's port (another process
/// may run them later), so every CLI host registers a resolver: one that points them at the sandbox it runs, or
/// one that refuses them with what to do.
/// </summary>
internal static class SandboxAccountMarker
{
    /// <summary>Core's "host supplies the endpoint" setting: the library, too, refuses such accounts without a sandbox.</summary>
    public const string Setting = Account.HostEndpointSetting;

    public static bool IsSandbox(Account account) => account.SettingFlag(Setting, fallback: false);

    /// <summary>A copy of <paramref name="account"/> calling <paramref name="baseUrl"/>.</summary>
    public static Account WithBaseUrl(Account account, Uri baseUrl) => new()
    {
        Id = account.Id,
        Platform = account.Platform,
        DisplayName = account.DisplayName,
        Credentials = account.Credentials,
        BaseUrl = baseUrl,
        Settings = account.Settings,
        CreatedAt = account.CreatedAt,
    };

    /// <summary>Points sandbox accounts at the sandbox running in this process.</summary>
    public static IAccountEndpointResolver Resolver(SandboxConnection sandbox) => new SandboxEndpointResolver(sandbox);

    /// <summary>Without a sandbox in the process: real accounts as they are; sandbox accounts cannot be served.</summary>
    public static IAccountEndpointResolver WithoutSandbox { get; } = new NoSandboxEndpointResolver();

    private sealed class SandboxEndpointResolver(SandboxConnection sandbox) : IAccountEndpointResolver
    {
        public Account? Resolve(Account account, out string? reason)
        {
            reason = null;
            return IsSandbox(account) ? WithBaseUrl(account, sandbox.PlatformBaseUrl(account.Platform)) : account;
        }
    }

    private sealed class NoSandboxEndpointResolver : IAccountEndpointResolver
    {
        public Account? Resolve(Account account, out string? reason)
        {
            if (account.NeedsHostEndpoint)
            {
                reason = "This publication was scheduled with --sandbox; run the workers with `herald work --sandbox`, then `herald retry` it.";
                return null;
            }

            reason = null;
            return account;
        }
    }
}
