using Herald.Accounts;
using Herald.Storage.Security;

namespace Herald.Storage;

/// <summary>
/// Reads stored credentials without ever failing a query: a row this worker cannot decrypt (another key, a damaged
/// blob, credentials copied from another account) loads as <see cref="AccountCredentials.Unreadable"/>, so only the
/// publications of that account fail, with a reason that says how to recover.
/// </summary>
internal static class StoredCredentials
{
    /// <summary>The credentials column as the model sees it; the account is not known yet, <see cref="Checked"/> names it.</summary>
    public static AccountCredentials Read(CredentialProtector protector, string stored)
    {
        try
        {
            return protector.Unprotect(stored);
        }
        catch (CredentialsUnreadableException ex)
        {
            return AccountCredentials.Unreadable(ex.Problem);
        }
    }

    /// <summary><paramref name="account"/> as loaded, or a copy whose credentials are Unreadable with a reason naming it.</summary>
    public static Account Checked(Account account)
    {
        var credentials = account.Credentials;
        var problem = credentials.UnreadableReason switch
        {
            null when credentials.Owner is { } owner && owner != account.Id =>
                "were encrypted for another account (the row was copied or altered in the database)",
            "cannot be decrypted with this worker's key" =>
                "cannot be decrypted with this worker's key (HERALD_CREDENTIAL_KEY / herald.key): they were written with another key",
            var other => other,
        };
        if (problem is null)
        {
            return account;
        }

        return new Account
        {
            Id = account.Id,
            Platform = account.Platform,
            DisplayName = account.DisplayName,
            Credentials = AccountCredentials.Unreadable(
                $"Stored credentials of {account.Platform} account '{account.DisplayName}' {problem}; enter them again with " +
                "`herald post` (from the account's configuration or environment variables), which replaces the stored ones."),
            BaseUrl = account.BaseUrl,
            Settings = account.Settings,
            CreatedAt = account.CreatedAt,
        };
    }
}
