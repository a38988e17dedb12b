using Herald.Accounts;

namespace Herald.Scheduling;

/// <summary>
/// Where an account's API lives in this process. Sandbox accounts are stored without the sandbox's port
/// (setting <c>sandbox=true</c>, no base URL), because the sandbox of the process that scheduled them is
/// gone when a worker in another process publishes: the worker's host registers a resolver that points them
/// at its own sandbox.
/// </summary>
public interface IAccountEndpointResolver
{
    /// <summary>The account ready to call, or null when this process cannot serve it (the reason in <paramref name="reason"/>).</summary>
    Account? Resolve(Account account, out string? reason);
}

/// <summary>The setting that marks a sandbox account.</summary>
public static class SandboxAccountMarker
{
    public const string Setting = "sandbox";

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
}

/// <summary>Without a sandbox in the process: real accounts as they are; sandbox accounts cannot be served.</summary>
internal sealed class DefaultAccountEndpointResolver : IAccountEndpointResolver
{
    public Account? Resolve(Account account, out string? reason)
    {
        if (SandboxAccountMarker.IsSandbox(account) && account.BaseUrl is null)
        {
            reason = "This publication was scheduled with --sandbox; run the workers with `herald work --sandbox`, then `herald retry` it.";
            return null;
        }

        reason = null;
        return account;
    }
}
