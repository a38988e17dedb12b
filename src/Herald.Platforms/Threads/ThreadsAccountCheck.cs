using Herald.Accounts;
using Herald.Platforms.Checks;
using Herald.Platforms.Http;

namespace Herald.Platforms.Threads;

/// <summary>
/// Who-am-I on Threads: <c>GET /v1.0/me?fields=id,username</c>, the token as the last query parameter as on every
/// Threads GET. The Graph API refuses a bad or expired token with HTTP 400 and error code 190 (OAuthException).
/// </summary>
internal sealed partial class ThreadsAdapter
{
    public Task<AccountCheckResult> CheckAsync(Account account, CancellationToken cancellationToken = default) =>
        AccountChecks.WithTokenAsync(account, AccessTokenCredential, ThreadsApi.DisplayName, _httpClientFactory.CreateClient(HttpClientName), "GET /me",
            token => new HttpRequestMessage(HttpMethod.Get,
                PlatformHttp.Combine(account.BaseUrl ?? _options.DefaultBaseUrl, "me?fields=id,username&access_token=" + Uri.EscapeDataString(token))),
            body => (AccountChecks.Read(body, "username"), AccountChecks.Read(body, "id")), cancellationToken,
            refuses: answer => answer.Status == 400 && AccountChecks.Read(answer.Body, "error", "code") == "190");
}
