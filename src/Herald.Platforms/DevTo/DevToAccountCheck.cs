using Herald.Accounts;
using Herald.Platforms.Checks;

namespace Herald.Platforms.DevTo;

/// <summary>Who-am-I on Forem: <c>GET /api/users/me</c> with the API key.</summary>
internal sealed partial class DevToAdapter
{
    public Task<AccountCheckResult> CheckAsync(Account account, CancellationToken cancellationToken = default) =>
        AccountChecks.WithTokenAsync(account, ApiKeyCredential, DisplayName, _httpClientFactory.CreateClient(HttpClientName), "GET /api/users/me",
            apiKey =>
            {
                var message = new HttpRequestMessage(HttpMethod.Get, ApiUri(account, "users/me"));
                AddHeaders(message, apiKey);
                return message;
            },
            body => (AccountChecks.Read(body, "username"), AccountChecks.Read(body, "id")), cancellationToken);
}
