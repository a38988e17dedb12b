using Herald.Accounts;
using Herald.Platforms;
using Herald.Storage;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Accounts;

/// <summary>
/// The accounts a server publishes with, as stored: those created through the API and those from configuration or the
/// sandbox. A deleted account that still has publications keeps its row (their history names it) with its
/// credentials removed and <see cref="DeletedSetting"/> set; it is no longer listed or offered as a target.
/// </summary>
internal sealed class AccountDirectory(HeraldDbContext db, PlatformRegistry registry)
{
    /// <summary>The setting that marks a deleted account kept for its publications' history (never shown).</summary>
    public const string DeletedSetting = "herald_deleted";

    public static bool IsDeleted(Account account) => account.Setting(DeletedSetting) is not null;

    public async Task<List<Account>> ListAsync(CancellationToken cancellationToken)
    {
        var accounts = await db.Accounts.AsNoTracking().ToListAsync(cancellationToken);
        return [.. accounts.Where(a => !IsDeleted(a)).OrderBy(a => a.Platform, StringComparer.Ordinal).ThenBy(a => a.DisplayName, StringComparer.Ordinal)];
    }

    /// <summary>When each account's credentials were last entered (null where that is not known).</summary>
    public Task<Dictionary<AccountId, DateTimeOffset?>> CredentialsRenewedAsync(CancellationToken cancellationToken) =>
        db.Accounts.AsNoTracking()
            .Select(a => new { a.Id, At = EF.Property<DateTimeOffset?>(a, HeraldDbContext.CredentialsRenewedAtProperty) })
            .ToDictionaryAsync(a => a.Id, a => a.At, cancellationToken);

    /// <summary>When <paramref name="id"/>'s credentials were last entered.</summary>
    public Task<DateTimeOffset?> CredentialsRenewedAsync(AccountId id, CancellationToken cancellationToken) =>
        db.Accounts.AsNoTracking().Where(a => a.Id == id)
            .Select(a => EF.Property<DateTimeOffset?>(a, HeraldDbContext.CredentialsRenewedAtProperty))
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>Marks the tracked <paramref name="account"/>'s credentials as entered at <paramref name="at"/> and saves.</summary>
    public async Task MarkCredentialsRenewedAsync(Account account, DateTimeOffset at, CancellationToken cancellationToken)
    {
        db.Entry(account).Property<DateTimeOffset?>(HeraldDbContext.CredentialsRenewedAtProperty).CurrentValue = at;
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<Account?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return null;
        }

        var accountId = new AccountId(guid);
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        return account is null || IsDeleted(account) ? null : account;
    }

    /// <summary>
    /// The accounts <paramref name="targets"/> name — <c>all</c>, a platform id (when it has exactly one account), or an
    /// account id — with every problem keyed <c>targets[i]</c>; each account once, in the order named.
    /// </summary>
    public async Task<List<(int Index, Account Account)>> ResolveTargetsAsync(
        IReadOnlyList<string> targets, List<(string Field, string Message)> problems, CancellationToken cancellationToken)
    {
        var accounts = await ListAsync(cancellationToken);
        var chosen = new List<(int Index, Account Account)>();
        for (var i = 0; i < targets.Count; i++)
        {
            var field = $"targets[{i}]";
            var target = targets[i]?.Trim() ?? "";
            if (target.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                if (accounts.Count == 0)
                {
                    problems.Add((field, "there are no accounts yet; create one with POST /api/v1/accounts"));
                }

                chosen.AddRange(accounts.Select(a => (i, a)));
            }
            else if (Guid.TryParse(target, out var guid))
            {
                if (accounts.FirstOrDefault(a => a.Id.Value == guid) is { } account)
                {
                    chosen.Add((i, account));
                }
                else
                {
                    problems.Add((field, $"no account has the id '{target}'"));
                }
            }
            else if (registry.TryResolve(target, out var adapter))
            {
                var onPlatform = accounts.Where(a => a.Platform == adapter.Platform.Id).ToList();
                switch (onPlatform.Count)
                {
                    case 0:
                        problems.Add((field, $"there is no {adapter.Platform.DisplayName} account; create one with POST /api/v1/accounts"));
                        break;
                    case 1:
                        chosen.Add((i, onPlatform[0]));
                        break;
                    default:
                        problems.Add((field, $"{adapter.Platform.DisplayName} has {onPlatform.Count} accounts " +
                            $"({string.Join(", ", onPlatform.Select(a => $"'{a.DisplayName}' {a.Id}"))}); name one by its id"));
                        break;
                }
            }
            else
            {
                problems.Add((field, $"'{target}' is neither 'all', an account id nor a platform; known platforms: {string.Join(", ", registry.PlatformIds)}"));
            }
        }

        return [.. chosen.DistinctBy(c => c.Account.Id)];
    }
}
