using System.Collections.Concurrent;
using Herald.Accounts;
using Herald.Platforms.Checks;
using Herald.Workers;

namespace Herald.Server.Accounts;

/// <summary>
/// Tests an account's connection: one who-am-I call on its platform (or the sandbox), nothing posted. What
/// <c>POST /api/v1/accounts/{id}/test</c> and the dashboard's Accounts page both call; each verdict is kept in
/// <see cref="AccountTestResults"/> (this process's memory) so the pages can show the last one.
/// </summary>
public sealed class AccountConnectionTester(IAccountEndpointResolver endpoints, AccountChecker checker, AccountTestResults results, TimeProvider clock)
{
    public async Task<AccountTestResponse> TestAsync(Account stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var result = endpoints.Resolve(stored, out var reason) is { } account
            ? await checker.CheckAsync(account, cancellationToken)
            : new AccountCheckResult(AccountCheckVerdict.Unreachable, reason ?? "This server cannot reach the account's endpoint.");
        var response = AccountTestResponse.From(stored, result, clock.GetUtcNow());
        results.Record(stored.Id, response);
        return response;
    }
}

/// <summary>The last connection test of each account since this server started (not stored: a restart forgets them).</summary>
public sealed class AccountTestResults
{
    private readonly ConcurrentDictionary<AccountId, AccountTestResponse> _last = new();

    public void Record(AccountId id, AccountTestResponse response) => _last[id] = response;

    public AccountTestResponse? Last(AccountId id) => _last.GetValueOrDefault(id);

    public void Forget(AccountId id) => _last.TryRemove(id, out _);
}
