using Herald.Accounts;
using Herald.Platforms.Checks;

namespace Herald.Platforms.DevTo;

/// <summary>
/// Who-am-I on Forem: <c>GET /api/users/me</c> with the API key. A Forem API key has no scopes: it acts with the
/// account's full access, so an accepted key can do everything Herald needs.
/// </summary>
internal sealed partial class DevToAdapter
{
    public async Task<AccountCheckResult> CheckAsync(Account account, CancellationToken cancellationToken = default)
    {
        var result = await AccountChecks.WithTokenAsync(account, ApiKeyCredential, DisplayName, _httpClientFactory.CreateClient(HttpClientName), "GET /api/users/me",
            apiKey =>
            {
                var message = new HttpRequestMessage(HttpMethod.Get, ApiUri(account, "users/me"));
                AddHeaders(message, apiKey);
                return message;
            },
            body => (AccountChecks.Read(body, "username"), AccountChecks.Read(body, "id")), cancellationToken);
        return result.Verdict != AccountCheckVerdict.Works ? result : result with
        {
            Capabilities = ScopeJudge.All([AccountCapability.Post, AccountCapability.UploadImages, AccountCapability.ReadBack], CapabilityAnswer.Yes,
                "A Dev.to API key has no scopes: it acts with the account's full access (articles, their images by URL, the account's own article list)."),
        };
    }
}
