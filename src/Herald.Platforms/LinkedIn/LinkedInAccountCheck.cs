using System.Net.Http.Headers;
using Herald.Accounts;
using Herald.Platforms.Checks;
using Herald.Platforms.Http;

namespace Herald.Platforms.LinkedIn;

/// <summary>
/// Who-am-I on LinkedIn: <c>GET /v2/userinfo</c> (OpenID Connect; the token needs the <c>openid profile</c> scopes),
/// which names the member (<c>sub</c> is the id in <c>urn:li:person:{sub}</c>).
/// </summary>
internal sealed partial class LinkedInAdapter
{
    public Task<AccountCheckResult> CheckAsync(Account account, CancellationToken cancellationToken = default) =>
        AccountChecks.WithTokenAsync(account, AccessTokenCredential, DisplayName, _httpClientFactory.CreateClient(HttpClientName), "GET /v2/userinfo",
            token =>
            {
                var message = new HttpRequestMessage(HttpMethod.Get, PlatformHttp.Combine(account.BaseUrl ?? _options.DefaultBaseUrl, "v2/userinfo"));
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                message.Headers.UserAgent.Add(new ProductInfoHeaderValue("Herald", "1.0"));
                return message;
            },
            body => (AccountChecks.Read(body, "name"), AccountChecks.Read(body, "sub")), cancellationToken);
}
