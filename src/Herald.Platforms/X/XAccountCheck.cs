using Herald.Accounts;
using Herald.Platforms.Checks;

namespace Herald.Platforms.X;

/// <summary>
/// Who-am-I on X: <c>GET /2/users/me</c>, signed as every call of the account is (OAuth 1.0a or OAuth 2.0, renewed
/// when X refuses an expired token). X's answer does not list what the token may do. An OAuth 2.0 token's scopes
/// come with the token (<c>scope</c> in X's token answer): Herald keeps them at each renewal, or takes them entered
/// with the token as the <c>scope</c> credential. An OAuth 1.0a token carries its app's permission (Read, or Read and
/// write) set in the developer portal, which X does not report.
/// </summary>
internal sealed partial class XAdapter
{
    /// <summary>
    /// What Herald's calls need: <c>POST /2/tweets</c> (posts and the replies of a thread), <c>POST /2/media/upload</c>
    /// and <c>/2/media/metadata</c>, and for a send whose answer was lost, <c>GET /2/users/me</c> and the user's posts.
    /// </summary>
    internal static readonly IReadOnlyList<ScopeNeed> ScopeNeeds =
    [
        new(AccountCapability.Post, ["tweet.write"], ["tweet.read"], ["users.read"]),
        new(AccountCapability.UploadImages, ["media.write"]),
        new(AccountCapability.ReadBack, ["tweet.read"], ["users.read"]),
    ];

    /// <summary>An OAuth 2.0 token with a refresh token and client id is renewed when X refuses it; OAuth 1.0a tokens do not expire.</summary>
    public bool CanRenew(AccountCredentials credentials) =>
        XAuthorization.SchemeOf(credentials) == XAuthScheme.OAuth2 && credentials.Has(XAuthorization.RefreshToken) && credentials.Has(XAuthorization.ClientId);

    public async Task<AccountCheckResult> CheckAsync(Account account, CancellationToken cancellationToken = default)
    {
        using var call = await _api.CallAsync(account, HttpMethod.Get, "2/users/me", null, cancellationToken);
        var result = AccountChecks.From(call.Answer, DisplayName, "GET /2/users/me",
            body => (AccountChecks.Read(body, "data", "username"), AccountChecks.Read(body, "data", "id")));
        if (result.Verdict != AccountCheckVerdict.Works)
        {
            return result;
        }

        var capabilities = ScopeNeeds.Select(n => n.Capability);
        if (XAuthorization.SchemeOf(account.Credentials) == XAuthScheme.OAuth1)
        {
            return result with
            {
                Capabilities = ScopeJudge.All(capabilities, CapabilityAnswer.Unknown,
                    "Not known: an OAuth 1.0a token carries its app's permission (it must be Read and write), which X does not report; the first post tells."),
            };
        }

        if (ScopeJudge.Split(account.Credentials[XAuthorization.Scope]) is not { Count: > 0 } scopes)
        {
            return result with
            {
                Capabilities = ScopeJudge.All(capabilities, CapabilityAnswer.Unknown,
                    "Not known: X does not report a token's scopes; Herald learns them when it renews the token, " +
                    "or from a scope credential entered with it (the token answer's scope). The first post tells."),
            };
        }

        return result with
        {
            GrantedScopes = scopes,
            Capabilities = ScopeJudge.Judge(scopes, ScopeNeeds, "the token", all =>
                $"authorize Herald's X app again asking for {all} offline.access, and enter the new access_token, refresh_token and scope"),
        };
    }
}
