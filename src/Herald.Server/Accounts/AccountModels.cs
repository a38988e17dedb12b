using Herald.Accounts;

namespace Herald.Server.Accounts;

/// <summary>
/// An account as the API shows it: never a credential, only which credential keys are set and whether this server can
/// read them.
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
    DateTimeOffset CreatedAt)
{
    internal static AccountResponse From(Account a) => new(
        a.Id.ToString(),
        a.Platform,
        a.DisplayName,
        a.BaseUrl,
        a.Settings.Where(s => !s.Key.Equals(AccountDirectory.DeletedSetting, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.OrdinalIgnoreCase),
        // Storage's own bookkeeping key (which configured credentials these are) is not a credential the user set.
        [.. a.Credentials.Select(c => c.Key).Where(k => !k.StartsWith("herald_", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)],
        a.Credentials.UnreadableReason is null,
        a.SettingFlag(Account.HostEndpointSetting, fallback: false),
        a.CreatedAt);
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
