using System.Net.Http.Headers;
using Herald.Accounts;
using Herald.Platforms.Checks;

namespace Herald.Platforms.Bluesky;

/// <summary>
/// Who-am-I on Bluesky: <c>com.atproto.server.getSession</c> with the account's session (the stored one, or a login
/// with the app password; renewed when refused), which names the handle and DID.
/// </summary>
internal sealed partial class BlueskyAdapter
{
    public async Task<AccountCheckResult> CheckAsync(Account account, CancellationToken cancellationToken = default)
    {
        using var call = await _sessions.SendAsync(account, session =>
        {
            var message = new HttpRequestMessage(HttpMethod.Get, BlueskySessions.Xrpc(session.Pds, "com.atproto.server.getSession"));
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessJwt);
            return message;
        }, cancellationToken);
        if (call.Answer is not { } answer)
        {
            return AccountChecks.From(call.Failure!);
        }

        return AccountChecks.From(answer, DisplayName, "com.atproto.server.getSession",
            body => (AccountChecks.Read(body, "handle"), AccountChecks.Read(body, "did")));
    }
}
