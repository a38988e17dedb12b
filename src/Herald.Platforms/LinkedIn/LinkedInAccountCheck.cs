using System.Net.Http.Headers;
using Herald.Accounts;
using Herald.Platforms.Checks;
using Herald.Platforms.Http;

namespace Herald.Platforms.LinkedIn;

/// <summary>
/// Who-am-I on LinkedIn: <c>GET /v2/userinfo</c> (OpenID Connect; the token needs the <c>openid profile</c> scopes),
/// which names the member (<c>sub</c> is the id in <c>urn:li:person:{sub}</c>). LinkedIn tells a token's scopes only
/// through token introspection, which takes the app's client secret; Herald holds only the member's token, so
/// whether it carries <c>w_member_social</c> (posts and their images) shows at the first post. Herald reads nothing
/// back on LinkedIn (a repeat is refused naming the earlier post), so that is not asked of the token.
/// </summary>
internal sealed partial class LinkedInAdapter
{
    public async Task<AccountCheckResult> CheckAsync(Account account, CancellationToken cancellationToken = default)
    {
        var result = await AccountChecks.WithTokenAsync(account, AccessTokenCredential, DisplayName, _httpClientFactory.CreateClient(HttpClientName), "GET /v2/userinfo",
            token =>
            {
                var message = new HttpRequestMessage(HttpMethod.Get, PlatformHttp.Combine(account.BaseUrl ?? _options.DefaultBaseUrl, "v2/userinfo"));
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                message.Headers.UserAgent.Add(new ProductInfoHeaderValue("Herald", "1.0"));
                return message;
            },
            body => (AccountChecks.Read(body, "name"), AccountChecks.Read(body, "sub")), cancellationToken);
        return result.Verdict != AccountCheckVerdict.Works ? result : result with
        {
            Capabilities = ScopeJudge.All([AccountCapability.Post, AccountCapability.UploadImages], CapabilityAnswer.Unknown,
                "Not known: the token has openid and profile (userinfo answered), but LinkedIn shows a token's other scopes " +
                "only to the app holding the client secret; w_member_social is checked at the first post."),
        };
    }
}
