using Herald.Platforms;
using Herald.Platforms.Checks;
using Herald.Server.Accounts;
using Herald.Storage;
using Herald.Storage.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Dashboard.Queries;

/// <summary>An account the overview asks a person to look at, why, and what to do (never a credential).</summary>
public sealed record AccountAttention(AccountId Id, string Platform, string DisplayName, string Reason, DateTimeOffset At, string Advice = AccountAttention.EnterAgain)
{
    /// <summary>What to do about refused credentials.</summary>
    public const string EnterAgain = "Enter its credentials again, then test it.";
}

/// <summary>
/// Accounts whose credentials were refused: the platform answered 401 or 403 to the newest attempt made with the
/// account, or the account's last connection test (since this server started) ended in "credentials refused", or
/// showed credentials that work but lack something Herald needs (a scope for images, a deactivated account).
/// Also accounts whose access token has expired or expires within <see cref="TokenExpiry.Soon"/> (7 days) and that
/// Herald cannot renew (<see cref="CredentialRenewal"/>: no refresh credential). The expiry is known only where
/// Herald was told it: a platform's renewal answer (X's <c>expires_in</c>) or the user stating it with the token;
/// an unknown expiry shows only once the platform refuses the token.
/// </summary>
public sealed class AccountAttentionQuery(AccountDirectory directory, HeraldDbContext db, AccountTestResults tests, PlatformRegistry registry, TimeProvider clock)
{
    public async Task<IReadOnlyList<AccountAttention>> LoadAsync(CancellationToken cancellationToken)
    {
        var accounts = await directory.ListAsync(cancellationToken);
        // The newest attempt of each account (attempt ids grow with time): one step down the (account, id) index per
        // account, however many attempts are stored. Then the status of those few.
        var newest = (await db.Accounts.AsNoTracking()
                .Select(account => db.Attempts.Where(a => a.AccountId == account.Id).Max(a => (long?)a.Id))
                .ToListAsync(cancellationToken))
            .OfType<long>().ToList();
        var refused = (await db.Attempts.AsNoTracking()
                .Where(a => newest.Contains(a.Id) && (a.HttpStatus == 401 || a.HttpStatus == 403))
                .Select(a => new { a.AccountId, a.HttpStatus, a.EndedAt })
                .ToListAsync(cancellationToken))
            .ToDictionary(x => x.AccountId);

        var dates = await directory.CredentialDatesAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var attention = new List<AccountAttention>();
        foreach (var account in accounts)
        {
            var test = tests.Last(account.Id);
            if (test is { Verdict: AccountCheckVerdict.CredentialsRefused })
            {
                attention.Add(new(account.Id, account.Platform, account.DisplayName, $"the last connection test was refused: {test.Detail}", test.CheckedAt));
            }
            else if (test is { Verdict: AccountCheckVerdict.Works, CanDoAll: false })
            {
                attention.Add(new(account.Id, account.Platform, account.DisplayName,
                    $"the last connection test shows its credentials cannot do all Herald needs: {CapabilityText.Summary(test.Capabilities)}", test.CheckedAt));
            }
            else if (refused.TryGetValue(account.Id, out var attempt) && !(test is { Verdict: AccountCheckVerdict.Works } && test.CheckedAt > attempt.EndedAt))
            {
                // A test that worked after the refusal (new credentials) answers it.
                attention.Add(new(account.Id, account.Platform, account.DisplayName,
                    $"the platform refused its credentials on the last attempt (HTTP {attempt.HttpStatus})", attempt.EndedAt));
            }
            else if (dates.GetValueOrDefault(account.Id)?.TokenExpiresAt is { } expiresAt &&
                TokenExpiry.ExpiresSoon(expiresAt, now, CredentialRenewal.CanRenew(registry, account)))
            {
                attention.Add(new(account.Id, account.Platform, account.DisplayName, ExpiryReason(expiresAt, now), expiresAt, ExpiryAdvice(account.Id)));
            }
        }

        return [.. attention.OrderByDescending(a => a.At)];
    }

    private static string ExpiryAdvice(AccountId id) =>
        "Get a new access token from the platform (docs/platforms.md says where) and enter it with its expiry: " +
        $"PATCH /api/v1/accounts/{id} with credentials and tokenExpiresAt.";

    // No date in the words: the overview shows the instant beside them, in the viewer's own time zone.
    private static string ExpiryReason(DateTimeOffset expiresAt, DateTimeOffset now) =>
        (expiresAt <= now ? "its access token has expired" : $"its access token expires {TokenExpiry.Describe(expiresAt, now)}") +
        " and Herald cannot renew it";
}
