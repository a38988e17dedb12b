using Herald.Accounts;
using Herald.Platforms.Checks;

namespace Herald.Platforms.Medium;

/// <summary>
/// Who-am-I on Medium: <c>GET /v1/me</c> with the integration token. Medium's answer lists no scopes. A self-issued
/// integration token may read the profile and publish (<c>basicProfile</c>, <c>publishPost</c>); <c>uploadImage</c>
/// is an extended scope Medium grants on request, so whether images can go up shows at the first one. Herald reads
/// nothing back on Medium (its API cannot list an author's posts), so that is not asked of the token.
/// </summary>
internal sealed partial class MediumAdapter
{
    public async Task<AccountCheckResult> CheckAsync(Account account, CancellationToken cancellationToken = default)
    {
        var result = await AccountChecks.WithTokenAsync(account, AccessTokenCredential, DisplayName, _httpClientFactory.CreateClient(HttpClientName), "GET /v1/me",
            token => Message(HttpMethod.Get, ApiUri(account, "me"), token),
            body => (AccountChecks.Read(body, "data", "username"), AccountChecks.Read(body, "data", "id")), cancellationToken);
        return result.Verdict != AccountCheckVerdict.Works ? result : result with
        {
            Capabilities =
            [
                CapabilityCheck.Yes(AccountCapability.Post,
                    "Medium lists no scopes in /v1/me; a self-issued integration token carries basicProfile and publishPost."),
                CapabilityCheck.Unknown(AccountCapability.UploadImages,
                    "Not known: uploadImage is an extended scope Medium grants on request and /v1/me does not say; the first image tells."),
            ],
        };
    }
}
