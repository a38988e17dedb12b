using Herald.Accounts;
using Herald.Platforms;
using Herald.Publications;
using Herald.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace Herald.Storage.Accounts;

/// <summary>
/// The accounts Herald publishes with, as stored: those added through the API or <c>herald accounts add</c>, and those
/// from configuration or the sandbox. A deleted account that still has publications keeps its row (their history names
/// it) with its credentials removed and <see cref="DeletedSetting"/> set; it is no longer listed or offered as a target.
/// The server's <c>/api/v1/accounts</c> and the <c>herald accounts</c> commands both go through it.
/// </summary>
public sealed class AccountDirectory(HeraldDbContext db, IPublicationStore store, IPublicationScheduler scheduler, PlatformRegistry registry, TimeProvider clock)
{
    /// <summary>The setting that marks a deleted account kept for its publications' history (never shown).</summary>
    public const string DeletedSetting = "herald_deleted";

    private static readonly PublicationStatus[] Pending =
        [PublicationStatus.Scheduled, PublicationStatus.RetryScheduled, PublicationStatus.AwaitingManualAction, PublicationStatus.Publishing];

    public static bool IsDeleted(Account account) => account.Setting(DeletedSetting) is not null;

    /// <summary>
    /// The credential keys a user set on <paramref name="account"/>, in order; never a value. Storage's own bookkeeping
    /// keys (<c>herald_…</c>) are left out.
    /// </summary>
    public static IReadOnlyList<string> CredentialKeys(Account account) =>
        [.. account.Credentials.Select(c => c.Key).Where(k => !k.StartsWith("herald_", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)];

    public async Task<List<Account>> ListAsync(CancellationToken cancellationToken)
    {
        var accounts = await db.Accounts.AsNoTracking().ToListAsync(cancellationToken);
        return [.. accounts.Where(a => !IsDeleted(a)).OrderBy(a => a.Platform, StringComparer.Ordinal).ThenBy(a => a.DisplayName, StringComparer.Ordinal)];
    }

    /// <summary>When each account's credentials were last entered and when its access token expires (null where not known).</summary>
    public Task<Dictionary<AccountId, CredentialDates>> CredentialDatesAsync(CancellationToken cancellationToken) =>
        db.Accounts.AsNoTracking()
            .Select(a => new
            {
                a.Id,
                RenewedAt = EF.Property<DateTimeOffset?>(a, HeraldDbContext.CredentialsRenewedAtProperty),
                ExpiresAt = EF.Property<DateTimeOffset?>(a, HeraldDbContext.TokenExpiresAtProperty),
            })
            .ToDictionaryAsync(a => a.Id, a => new CredentialDates(a.RenewedAt, a.ExpiresAt), cancellationToken);

    /// <summary>When <paramref name="id"/>'s credentials were last entered and when its access token expires.</summary>
    public async Task<CredentialDates> CredentialDatesAsync(AccountId id, CancellationToken cancellationToken) =>
        await db.Accounts.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new CredentialDates(
                EF.Property<DateTimeOffset?>(a, HeraldDbContext.CredentialsRenewedAtProperty),
                EF.Property<DateTimeOffset?>(a, HeraldDbContext.TokenExpiresAtProperty)))
            .FirstOrDefaultAsync(cancellationToken) ?? CredentialDates.Unknown;

    /// <summary>
    /// Marks the tracked <paramref name="account"/>'s credentials as entered at <paramref name="at"/>, with the access
    /// token expiring at <paramref name="tokenExpiresAt"/> (null: not known; new credentials make an old expiry
    /// meaningless), and saves.
    /// </summary>
    public async Task MarkCredentialsRenewedAsync(Account account, DateTimeOffset at, DateTimeOffset? tokenExpiresAt, CancellationToken cancellationToken)
    {
        db.Entry(account).Property<DateTimeOffset?>(HeraldDbContext.CredentialsRenewedAtProperty).CurrentValue = at;
        db.Entry(account).Property<DateTimeOffset?>(HeraldDbContext.TokenExpiresAtProperty).CurrentValue = tokenExpiresAt;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Sets when the tracked <paramref name="account"/>'s access token expires, as the user stated it, and saves.</summary>
    public async Task SetTokenExpiresAtAsync(Account account, DateTimeOffset tokenExpiresAt, CancellationToken cancellationToken)
    {
        db.Entry(account).Property<DateTimeOffset?>(HeraldDbContext.TokenExpiresAtProperty).CurrentValue = tokenExpiresAt;
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
    /// Checks a new account as the API and the CLI both describe it: a known platform, a display name of 1 to 200
    /// characters, a base URL that is https (plain http only to a loopback address, a sandbox), keys of 1 to 100
    /// characters, a token expiry (when given) that is an ISO 8601 instant. Problems are keyed by the API's field names
    /// (<c>platform</c>, <c>displayName</c>, <c>baseUrl</c>, <c>credentials</c>, <c>settings</c>, <c>tokenExpiresAt</c>);
    /// nothing is stored.
    /// </summary>
    public List<(string Field, string Message)> Check(AccountDraft draft, out IPlatformAdapter? adapter, out Uri? baseUrl)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var problems = new List<(string Field, string Message)>();
        adapter = null;
        if (string.IsNullOrWhiteSpace(draft.Platform))
        {
            problems.Add(("platform", $"is required; known platforms: {string.Join(", ", registry.PlatformIds)}"));
        }
        else if (!registry.TryResolve(draft.Platform, out adapter))
        {
            problems.Add(("platform", $"unknown platform '{draft.Platform}'; known platforms: {string.Join(", ", registry.PlatformIds)}"));
        }

        if ((draft.DisplayName?.Trim() ?? "").Length is 0 or > 200)
        {
            problems.Add(("displayName", "must be 1 to 200 characters"));
        }

        baseUrl = ReadBaseUrl(draft.BaseUrl, problems);
        CheckKeys(draft.Credentials?.Keys, "credentials", problems);
        CheckKeys(draft.Settings?.Keys, "settings", problems);
        CheckSettingValues(draft.Settings?.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)), problems);
        TokenExpiry.Read(draft.TokenExpiresAt, problems);
        return problems;
    }

    /// <summary>
    /// The settings Herald itself reads as flags must be <c>true</c> or <c>false</c>: <c>sandbox</c> decides where
    /// the account publishes, and a value such as <c>yes</c> would fail every publication on it.
    /// </summary>
    public static void CheckSettingValues(IEnumerable<KeyValuePair<string, string?>>? settings, List<(string Field, string Message)> problems)
    {
        foreach (var (key, value) in settings ?? [])
        {
            if (key.Equals(Account.HostEndpointSetting, StringComparison.OrdinalIgnoreCase) && value is not null && !bool.TryParse(value, out _))
            {
                problems.Add(($"settings.{key}", $"must be true or false, not '{value}'"));
            }
        }
    }

    /// <summary>
    /// Stores a new account (<see cref="Check"/> first): <see cref="AccountChange.Invalid"/> with the problems, or
    /// <see cref="AccountChange.Conflict"/> when the platform already has an account of that name.
    /// </summary>
    public async Task<AccountChangeResult> AddAsync(AccountDraft draft, CancellationToken cancellationToken)
    {
        var problems = Check(draft, out var adapter, out var baseUrl);
        if (problems.Count > 0 || adapter is null)
        {
            return new(AccountChange.Invalid, null, problems, "The account was refused.");
        }

        var platform = adapter.Platform.Id;
        var name = draft.DisplayName!.Trim();
        var existing = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Platform == platform && a.DisplayName == name, cancellationToken);
        if (existing is not null && !IsDeleted(existing))
        {
            return new(AccountChange.Conflict, existing, [], $"{adapter.Platform.DisplayName} already has an account named '{name}' ({existing.Id}).");
        }

        var now = clock.GetUtcNow();
        var stored = await store.UpsertAccountAsync(new Account
        {
            Platform = platform,
            DisplayName = name,
            BaseUrl = baseUrl,
            Credentials = new AccountCredentials(draft.Credentials ?? new Dictionary<string, string>()),
            Settings = new Dictionary<string, string>(draft.Settings ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase),
            CreatedAt = now,
        }, cancellationToken);
        await MarkCredentialsRenewedAsync(stored, now, TokenExpiry.Read(draft.TokenExpiresAt, []), cancellationToken);
        return new(AccountChange.Done, stored, [], $"{adapter.Platform.DisplayName} account '{name}' added.");
    }

    /// <summary>
    /// Deletes <paramref name="account"/>: refused (<see cref="AccountChange.Conflict"/>) while publications wait on it,
    /// unless <paramref name="cancelPending"/> cancels them, and always while one is being sent. An account with
    /// publications keeps its row, without credentials, for their history.
    /// </summary>
    public async Task<AccountChangeResult> DeleteAsync(Account account, bool cancelPending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var pending = await db.Publications.AsNoTracking()
            .Where(p => p.AccountId == account.Id && Pending.Contains(p.Status)).ToListAsync(cancellationToken);
        if (pending.Count > 0 && !cancelPending)
        {
            return new(AccountChange.Conflict, account, [], $"{pending.Count} publication(s) wait on this account; cancel them first, or delete it with the pending ones cancelled.");
        }

        if (pending.FirstOrDefault(p => p.Status == PublicationStatus.Publishing) is { } sending)
        {
            return new(AccountChange.Conflict, account, [], $"Publication {sending.Id} is being sent on this account right now; try again when it is done.");
        }

        foreach (var publication in pending)
        {
            await scheduler.CancelAsync(publication.Id, cancellationToken);
        }

        if (await db.Publications.AnyAsync(p => p.AccountId == account.Id, cancellationToken))
        {
            // Its publications' history names it: the row stays, without credentials, and is no longer offered.
            var settings = new Dictionary<string, string>(account.Settings, StringComparer.OrdinalIgnoreCase) { [DeletedSetting] = "true" };
            await store.UpsertAccountAsync(new Account
            {
                Id = account.Id,
                Platform = account.Platform,
                DisplayName = account.DisplayName,
                Settings = settings,
                CreatedAt = account.CreatedAt,
            }, cancellationToken);
        }
        else
        {
            await db.Accounts.Where(a => a.Id == account.Id).ExecuteDeleteAsync(cancellationToken);
        }

        return new(AccountChange.Done, account, [], $"{account.Platform} account '{account.DisplayName}' removed" +
            (pending.Count > 0 ? $"; {pending.Count} waiting publication(s) cancelled." : "."));
    }

    /// <summary>
    /// The accounts <paramref name="targets"/> name — <c>all</c>, a platform id (when it has exactly one account), or an
    /// account id — with every problem keyed <c>targets[i]</c>; each account once, in the order named.
    /// </summary>
    public async Task<List<(int Index, Account Account)>> ResolveTargetsAsync(
        IReadOnlyList<string> targets, List<(string Field, string Message)> problems, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(problems);
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

    /// <summary>The base URL in <paramref name="text"/>, or null (none given, or refused with a problem keyed <c>baseUrl</c>).</summary>
    public static Uri? ReadBaseUrl(string? text, List<(string Field, string Message)> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // Every call carries credentials: https, or plain http only to this machine (a sandbox).
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == "https" || (url.Scheme == "http" && url.IsLoopback)))
        {
            return url;
        }

        problems.Add(("baseUrl", "must be an absolute https URL (plain http only to a loopback address)"));
        return null;
    }

    private static void CheckKeys(IEnumerable<string>? keys, string field, List<(string, string)> problems)
    {
        if ((keys ?? []).Any(key => string.IsNullOrWhiteSpace(key) || key.Length > 100))
        {
            problems.Add((field, "every key must be 1 to 100 characters"));
        }
    }
}

/// <summary>
/// A new account as given: platform, display name, credentials (write-only), settings, base URL, and when its access
/// token expires (an ISO 8601 instant, for a token the platform issued with a fixed lifetime; null when not known).
/// </summary>
public sealed record AccountDraft(
    string? Platform,
    string? DisplayName,
    IReadOnlyDictionary<string, string>? Credentials,
    IReadOnlyDictionary<string, string>? Settings,
    string? BaseUrl,
    string? TokenExpiresAt = null);

/// <summary>When an account's credentials were last entered, and when its access token expires; null where not known.</summary>
public sealed record CredentialDates(DateTimeOffset? RenewedAt, DateTimeOffset? TokenExpiresAt)
{
    public static CredentialDates Unknown { get; } = new(null, null);
}

/// <summary>How a change to the accounts ended.</summary>
public enum AccountChange
{
    Done = 0,

    /// <summary>Refused for what was given; <see cref="AccountChangeResult.Problems"/> names each field.</summary>
    Invalid = 1,

    /// <summary>Refused for the accounts' state (a name taken, publications waiting); <see cref="AccountChangeResult.Detail"/> says which.</summary>
    Conflict = 2,
}

/// <summary>The outcome of <see cref="AccountDirectory.AddAsync"/> or <see cref="AccountDirectory.DeleteAsync"/>.</summary>
public sealed record AccountChangeResult(AccountChange Change, Account? Account, IReadOnlyList<(string Field, string Message)> Problems, string Detail);
