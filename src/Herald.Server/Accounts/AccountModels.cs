using Herald.Accounts;
using Herald.Storage.Accounts;

namespace Herald.Server.Accounts;

/// <summary>
/// An account as the API shows it: never a credential, only which credential keys are set, whether this server can
/// read them, and when they were last entered (<see cref="CredentialsRenewedAt"/>: the account's creation, or the last
/// change of its credentials through the API; null for accounts stored before Herald kept it, or from configuration),
/// and when its access token expires (<see cref="TokenExpiresAt"/>: what the platform answered when Herald last renewed
/// the token, or what was stated with the credentials; null, and so left out of the answer, when not known).
/// </summary>
public sealed record AccountResponse(
    string Id,
    string Platform,
    string DisplayName,
    Uri? BaseUrl,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<string> CredentialKeys,
    bool CredentialsReadable,
    bool Sandbox,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CredentialsRenewedAt,
    DateTimeOffset? TokenExpiresAt)
{
    internal static AccountResponse From(Account a, CredentialDates? dates) => new(
        a.Id.ToString(),
        a.Platform,
        a.DisplayName,
        a.BaseUrl,
        a.Settings.Where(s => !s.Key.Equals(AccountDirectory.DeletedSetting, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.OrdinalIgnoreCase),
        AccountDirectory.CredentialKeys(a),
        a.Credentials.UnreadableReason is null,
        a.SettingFlag(Account.HostEndpointSetting, fallback: false),
        a.CreatedAt,
        dates?.RenewedAt,
        dates?.TokenExpiresAt);
}

/// <summary>
/// The body of <c>POST /accounts</c>. <see cref="Credentials"/> are write-only: no answer ever contains them.
/// <see cref="TokenExpiresAt"/> (optional, an ISO 8601 instant) is when the access token expires, for a platform that
/// issues tokens with a fixed lifetime Herald cannot renew (a Threads or LinkedIn token lasts 60 days).
/// </summary>
public sealed record CreateAccountRequest(
    string? Platform,
    string? DisplayName,
    IReadOnlyDictionary<string, string>? Credentials,
    IReadOnlyDictionary<string, string>? Settings,
    string? BaseUrl,
    string? TokenExpiresAt = null);

/// <summary>
/// The body of <c>PATCH /accounts/{id}</c>: only what is given changes. In <see cref="Credentials"/> and
/// <see cref="Settings"/>, a key with a value sets it and a key with null removes it; other keys stay.
/// <see cref="TokenExpiresAt"/> (an ISO 8601 instant) states when the access token expires; new credentials without
/// it make the expiry unknown, since the one stored was the old token's.
/// </summary>
public sealed record UpdateAccountRequest(
    string? DisplayName,
    IReadOnlyDictionary<string, string?>? Credentials,
    IReadOnlyDictionary<string, string?>? Settings,
    string? BaseUrl,
    string? TokenExpiresAt = null);
