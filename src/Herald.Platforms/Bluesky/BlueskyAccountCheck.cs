using System.Net.Http.Headers;
using Herald.Accounts;
using Herald.Platforms.Checks;

namespace Herald.Platforms.Bluesky;

/// <summary>
/// Who-am-I on Bluesky: <c>com.atproto.server.getSession</c> with the account's session (the stored one, or a login
/// with the app password; renewed when refused), which names the handle and DID. An app password may do everything
/// Herald does (only direct messages need a privileged one), so what the session can do turns on the account:
/// <c>active</c> false with a <c>status</c> (<c>deactivated</c>, <c>suspended</c>, <c>takendown</c>) means the PDS
/// refuses its writes.
/// </summary>
internal sealed partial class BlueskyAdapter
{
    private static readonly AccountCapability[] Needs = [AccountCapability.Post, AccountCapability.UploadImages, AccountCapability.ReadBack];

    /// <summary>With the app password Herald logs in again whenever the session and its refresh token have expired.</summary>
    public bool CanRenew(AccountCredentials credentials) => credentials.Has(BlueskySessions.AppPasswordCredential);

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

        var result = AccountChecks.From(answer, DisplayName, "com.atproto.server.getSession",
            body => (AccountChecks.Read(body, "handle"), AccountChecks.Read(body, "did")));
        if (result.Verdict != AccountCheckVerdict.Works)
        {
            return result;
        }

        if (AccountChecks.Read(answer.Body, "active") == "false")
        {
            var status = AccountChecks.Read(answer.Body, "status") ?? "inactive";
            var fix = status switch
            {
                "deactivated" => "reactivate the account (sign in to Bluesky and confirm reactivation), then test again",
                _ => "the account's host holds it; see the notice in the Bluesky app or contact its moderation",
            };
            return result with
            {
                Capabilities = [.. Needs.Select(c => c == AccountCapability.ReadBack
                    ? CapabilityCheck.Unknown(c, $"The account is {status}; its records may still be read.")
                    : new CapabilityCheck(c, CapabilityAnswer.No, $"The account is {status}: {CapabilityCheck.Consequence(c)}.") { Fix = fix })],
            };
        }

        return result with
        {
            Capabilities = ScopeJudge.All(Needs, CapabilityAnswer.Yes,
                "An app password may post, upload images and read the account's records (only direct messages need a privileged one), and the account is active."),
        };
    }
}
