using Herald.Accounts;

namespace Herald.Platforms.Checks;

/// <summary>What a who-am-I call on a platform concluded about an account's credentials.</summary>
public enum AccountCheckVerdict
{
    /// <summary>The platform accepted the credentials and said whose they are.</summary>
    Works = 0,

    /// <summary>The platform refused the credentials (401/403), or the account lacks one it needs.</summary>
    CredentialsRefused = 1,

    /// <summary>No answer (connection, name resolution, TLS, timeout), or the platform answered that it is unavailable (5xx, 429).</summary>
    Unreachable = 2,

    /// <summary>An answer Herald cannot read as either (another status, a body without the identity).</summary>
    Unexpected = 3,
}

/// <summary>
/// The verdict, in Herald's words (never a credential, never the platform's body), the identity the platform
/// reported: a display handle (<see cref="Identity"/>) and the platform's id for it (<see cref="IdentityId"/>), and
/// what the credentials can do (<see cref="Capabilities"/>, only when they work).
/// </summary>
public sealed record AccountCheckResult(AccountCheckVerdict Verdict, string Detail, string? Identity = null, string? IdentityId = null)
{
    /// <summary>Each thing Herald needs of the account on its platform, yes, no or unknown; empty unless the credentials work.</summary>
    public IReadOnlyList<CapabilityCheck> Capabilities { get; init; } = [];

    /// <summary>The scopes or permissions the platform said the credentials carry; null when it did not say.</summary>
    public IReadOnlyList<string>? GrantedScopes { get; init; }

    /// <summary>Every scope a capability lacks, once each.</summary>
    public IReadOnlyList<string> MissingScopes => CapabilityText.Missing(Capabilities);

    /// <summary>The credentials work and nothing Herald needs is known to be missing (an unknown capability is not missing).</summary>
    public bool CanDoAll => CapabilityText.CanDoAll(Verdict, Capabilities);
}

/// <summary>A platform adapter that can ask its platform whose an account's credentials are.</summary>
public interface IAccountCheck
{
    /// <summary>One who-am-I call with the account's credentials, at the account's endpoint (its base URL, or the platform's).</summary>
    Task<AccountCheckResult> CheckAsync(Account account, CancellationToken cancellationToken = default);
}

/// <summary>Checks accounts of any registered platform (what <c>POST /accounts/{id}/test</c> and <c>herald accounts test</c> use).</summary>
public sealed class AccountChecker(PlatformRegistry registry)
{
    public async Task<AccountCheckResult> CheckAsync(Account account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (!registry.TryResolve(account.Platform, out var adapter) || adapter is not IAccountCheck check)
        {
            return new AccountCheckResult(AccountCheckVerdict.Unexpected, $"Herald cannot check {account.Platform} accounts.");
        }

        if (account.Credentials.UnreadableReason is { } unreadable)
        {
            return new AccountCheckResult(AccountCheckVerdict.CredentialsRefused, unreadable);
        }

        return await check.CheckAsync(account, cancellationToken);
    }
}
