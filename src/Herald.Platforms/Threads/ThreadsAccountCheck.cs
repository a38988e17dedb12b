using Herald.Accounts;
using Herald.Platforms.Checks;
using Herald.Platforms.Http;

namespace Herald.Platforms.Threads;

/// <summary>
/// Who-am-I on Threads: <c>GET /v1.0/me?fields=id,username</c>, the token as the last query parameter as on every
/// Threads GET. The Graph API refuses a bad or expired token with HTTP 400 and error code 190 (OAuthException).
/// Then what the token may do: <c>GET /v1.0/debug_token</c> with the token as both <c>input_token</c> and
/// <c>access_token</c> (the same app's token may inspect itself), whose <c>data.scopes</c> lists its permissions.
/// </summary>
internal sealed partial class ThreadsAdapter
{
    /// <summary>
    /// What Herald's calls need: <c>threads_basic</c> for every call, <c>threads_content_publish</c> to publish (images
    /// too: Threads fetches them by URL into a container), <c>threads_manage_replies</c> to publish a thread's replies.
    /// </summary>
    internal static readonly IReadOnlyList<ScopeNeed> ScopeNeeds =
    [
        new(AccountCapability.Post, ["threads_basic"], ["threads_content_publish"]),
        new(AccountCapability.Reply, ["threads_manage_replies"]),
        new(AccountCapability.UploadImages, ["threads_basic"], ["threads_content_publish"]),
        new(AccountCapability.ReadBack, ["threads_basic"]),
    ];

    public async Task<AccountCheckResult> CheckAsync(Account account, CancellationToken cancellationToken = default)
    {
        var client = _httpClientFactory.CreateClient(HttpClientName);
        var baseUrl = account.BaseUrl ?? _options.DefaultBaseUrl;
        var result = await AccountChecks.WithTokenAsync(account, AccessTokenCredential, ThreadsApi.DisplayName, client, "GET /me",
            token => new HttpRequestMessage(HttpMethod.Get, PlatformHttp.Combine(baseUrl, "me?fields=id,username&access_token=" + Uri.EscapeDataString(token))),
            body => (AccountChecks.Read(body, "username"), AccountChecks.Read(body, "id")), cancellationToken,
            refuses: answer => answer.Status == 400 && AccountChecks.Read(answer.Body, "error", "code") == "190");
        if (result.Verdict != AccountCheckVerdict.Works)
        {
            return result;
        }

        var token = Uri.EscapeDataString(account.Credentials[AccessTokenCredential]!);
        return await AccountChecks.WithScopesAsync(result, client,
            new HttpRequestMessage(HttpMethod.Get, PlatformHttp.Combine(baseUrl, $"debug_token?input_token={token}&access_token={token}")),
            ThreadsApi.DisplayName, "GET /debug_token", ["data", "scopes"], ScopeNeeds, "the token",
            all => $"authorize Herald's Threads app again granting {all}, and enter the new token",
            "debug_token did not list the token's permissions", cancellationToken);
    }
}
