using Herald.Accounts;
using Herald.Platforms.Checks;

namespace Herald.Platforms.Medium;

/// <summary>Who-am-I on Medium: <c>GET /v1/me</c> with the integration token.</summary>
internal sealed partial class MediumAdapter
{
    public Task<AccountCheckResult> CheckAsync(Account account, CancellationToken cancellationToken = default) =>
        AccountChecks.WithTokenAsync(account, AccessTokenCredential, DisplayName, _httpClientFactory.CreateClient(HttpClientName), "GET /v1/me",
            token => Message(HttpMethod.Get, ApiUri(account, "me"), token),
            body => (AccountChecks.Read(body, "data", "username"), AccountChecks.Read(body, "data", "id")), cancellationToken);
}
