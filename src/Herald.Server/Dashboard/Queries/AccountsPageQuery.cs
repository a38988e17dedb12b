using Herald.Platforms;
using Herald.Platforms.Checks;
using Herald.Server.Accounts;
using Herald.Storage;
using Herald.Storage.Accounts;
using Herald.Storage.RateLimiting;
using Herald.Workers.RateLimiting;

namespace Herald.Server.Dashboard.Queries;

/// <summary>
/// One account as the Accounts page lists it: what the API's <c>GET /accounts</c> answers (never a credential, only
/// which keys are set), the platform's write limit, a pause the platform asked for, the last connection test, and
/// whether Herald renews the account's token itself when it expires (so its expiry needs no one).
/// </summary>
public sealed record AccountRow(
    AccountResponse Account, string PlatformName, RateLimitRule? Limit, DateTimeOffset? PausedUntil, AccountTestResponse? LastTest, bool RenewedByHerald = false);

/// <summary>The Accounts page's rows, read through the same <see cref="AccountDirectory"/> as the API.</summary>
public sealed class AccountsPageQuery(
    AccountDirectory directory, HeraldDbContext db, PlatformRegistry registry, RateLimitPolicies limits, AccountTestResults tests, TimeProvider clock)
{
    public async Task<IReadOnlyList<AccountRow>> LoadAsync(CancellationToken cancellationToken)
    {
        var dates = await directory.CredentialDatesAsync(cancellationToken);
        var paused = await RateLimitState.PausedAsync(db, clock.GetUtcNow(), cancellationToken);
        return [.. (await directory.ListAsync(cancellationToken)).Select(a => new AccountRow(
            AccountResponse.From(a, dates.GetValueOrDefault(a.Id)),
            PlatformName(a.Platform),
            limits.For(a.Platform),
            paused.TryGetValue(RateLimitState.Key(a.Platform, a.Id), out var until) ? until : null,
            tests.Last(a.Id),
            CredentialRenewal.CanRenew(registry, a)))];
    }

    /// <summary>The platforms an account can be added for: id and name, in the registry's order.</summary>
    public IReadOnlyList<(string Id, string Name)> Platforms => [.. registry.Adapters.Select(a => (a.Platform.Id, a.Platform.DisplayName))];

    public string PlatformName(string platform) => registry.TryResolve(platform, out var adapter) ? adapter.Platform.DisplayName : platform;
}
