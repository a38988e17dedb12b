using Herald.Accounts;
using Herald.Platforms.Checks;

namespace Herald.Platforms.X;

/// <summary>Who-am-I on X: <c>GET /2/users/me</c>, signed as every call of the account is (OAuth 1.0a or OAuth 2.0, renewed when X refuses an expired token).</summary>
internal sealed partial class XAdapter
{
    public async Task<AccountCheckResult> CheckAsync(Account account, CancellationToken cancellationToken = default)
    {
        using var call = await _api.CallAsync(account, HttpMethod.Get, "2/users/me", null, cancellationToken);
        return AccountChecks.From(call.Answer, DisplayName, "GET /2/users/me",
            body => (AccountChecks.Read(body, "data", "username"), AccountChecks.Read(body, "data", "id")));
    }
}
