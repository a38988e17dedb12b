using Herald.Accounts;
using Herald.Storage.Accounts;

namespace Herald.Server.Accounts;

/// <summary>
/// An account as the API shows it: never a credential, only which credential keys are set, whether this server can
/// read them, and when they were last entered (<see cref="CredentialsRenewedAt"/>: the account's creation, or the last
/// change of its credentials through the API; null for accounts stored before Herald kept it, or from configuration).
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
    DateTimeOffset? CredentialsRenewedAt)
{
    internal static AccountResponse From(Account a, DateTimeOffset? credentialsRenewedAt) => new(
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
        credentialsRenewedAt);
}

/// <summary>The body of <c>POST /accounts</c>. <see cref="Credentials"/> are write-only: no answer ever contains them.</summary>
public sealed record CreateAccountRequest(
    string? Platform,
    string? DisplayName,
    IReadOnlyDictionary<string, string>? Credentials,
    IReadOnlyDictionary<string, string>? Settings,
    string? BaseUrl);

/// <summary>
/// The body of <c>PATCH /accounts/{id}</c>: only what is given changes. In <see cref="Credentials"/> and
/// <see cref="Settings"/>, a key with a value sets it and a key with null removes it; other keys stay.
/// </summary>
public sealed record UpdateAccountRequest(
    string? DisplayName,
    IReadOnlyDictionary<string, string?>? Credentials,
    IReadOnlyDictionary<string, string?>? Settings,
    string? BaseUrl);
