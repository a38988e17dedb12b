using Herald.Accounts;
using Herald.Platforms.Checks;

namespace Herald.Platforms.Mastodon;

/// <summary>
/// Who-am-I on a Mastodon instance: <c>GET /api/v1/accounts/verify_credentials</c> with the access token; then what
/// the token may do: <c>GET /api/v1/apps/verify_credentials</c>, whose <c>scopes</c> (Mastodon 4.3 and later) are
/// the scopes of the token's application. A token made under Preferences → Development has exactly those.
/// </summary>
internal sealed partial class MastodonAdapter
{
    /// <summary>
    /// What Herald calls with the token: statuses (post, and replies for threads), media (upload, then read until
    /// processed), and for a send whose answer was lost, the account and its statuses. <c>write</c> and <c>read</c>
    /// cover every <c>write:…</c> and <c>read:…</c> scope; <c>profile</c> (4.3) covers the account alone.
    /// </summary>
    internal static readonly IReadOnlyList<ScopeNeed> ScopeNeeds =
    [
        new(AccountCapability.Post, ["write:statuses", "write"]),
        new(AccountCapability.UploadImages, ["write:media", "write"]),
        new(AccountCapability.ReadBack, ["read:statuses", "read"], ["read:accounts", "read", "profile"]),
    ];

    public async Task<AccountCheckResult> CheckAsync(Account account, CancellationToken cancellationToken = default)
    {
        var client = _httpClientFactory.CreateClient(HttpClientName);
        var result = await AccountChecks.WithTokenAsync(account, AccessTokenCredential, DisplayName, client,
            "GET /api/v1/accounts/verify_credentials",
            token => Get(InstanceOf(account), "api/v1/accounts/verify_credentials", token),
            body => (AccountChecks.Read(body, "acct") ?? AccountChecks.Read(body, "username"), AccountChecks.Read(body, "id")), cancellationToken);
        if (result.Verdict != AccountCheckVerdict.Works)
        {
            return result;
        }

        return await AccountChecks.WithScopesAsync(result, client,
            Get(InstanceOf(account), "api/v1/apps/verify_credentials", account.Credentials[AccessTokenCredential]!),
            DisplayName, "GET /api/v1/apps/verify_credentials", ["scopes"], ScopeNeeds, "the token's application",
            all => $"create a token with the scopes {all} (Preferences → Development → New application on the instance) and enter it again",
            "the instance does not list the token's scopes (Mastodon before 4.3)", cancellationToken);
    }
}
