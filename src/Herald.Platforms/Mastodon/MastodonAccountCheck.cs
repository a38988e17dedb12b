using Herald.Accounts;
using Herald.Platforms.Checks;

namespace Herald.Platforms.Mastodon;

/// <summary>Who-am-I on a Mastodon instance: <c>GET /api/v1/accounts/verify_credentials</c> with the access token.</summary>
internal sealed partial class MastodonAdapter
{
    public Task<AccountCheckResult> CheckAsync(Account account, CancellationToken cancellationToken = default) =>
        AccountChecks.WithTokenAsync(account, AccessTokenCredential, DisplayName, _httpClientFactory.CreateClient(HttpClientName),
            "GET /api/v1/accounts/verify_credentials",
            token => Get(InstanceOf(account), "api/v1/accounts/verify_credentials", token),
            body => (AccountChecks.Read(body, "acct") ?? AccountChecks.Read(body, "username"), AccountChecks.Read(body, "id")), cancellationToken);
}
