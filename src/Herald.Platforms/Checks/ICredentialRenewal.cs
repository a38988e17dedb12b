using Herald.Accounts;

namespace Herald.Platforms.Checks;

/// <summary>
/// A platform adapter that can get a new access token for an account by itself, without the user: X with an OAuth 2.0
/// refresh token and client id, Bluesky with an app password. An account it can renew does not need its token's
/// expiry announced; any other account's token lasts only until the expiry the platform gave it.
/// </summary>
public interface ICredentialRenewal
{
    /// <summary>Whether Herald renews the access token of an account holding <paramref name="credentials"/> when it expires.</summary>
    bool CanRenew(AccountCredentials credentials);
}

/// <summary>Asks the account's platform adapter whether it renews the account's token (<see cref="ICredentialRenewal"/>).</summary>
public static class CredentialRenewal
{
    /// <summary>False for a platform that renews nothing, or credentials that cannot be read here.</summary>
    public static bool CanRenew(PlatformRegistry registry, Account account)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(account);
        return account.Credentials.UnreadableReason is null &&
            registry.TryResolve(account.Platform, out var adapter) && adapter is ICredentialRenewal renewal &&
            renewal.CanRenew(account.Credentials);
    }
}
