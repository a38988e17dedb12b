using Herald.Accounts;
using Herald.Contents;
using Herald.Media;
using Herald.Media.Fetching;
using Herald.Platforms;
using Herald.Publications;
using Herald.Validation;
using Herald.Workers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Scheduling;

/// <summary>The scheduling API on the publication store; every status change goes through the publication's own methods.</summary>
internal sealed class PublicationScheduler(
    IPublicationStore store,
    PlatformRegistry registry,
    RetryPolicies retryPolicies,
    IDueNotifier notifier,
    TimeProvider timeProvider,
    ContentLimits contentLimits,
    IMediaStore? mediaStore = null,
    IImageInspector? imageInspector = null,
    ILogger<PublicationScheduler>? logger = null,
    RemoteMediaFetcher? mediaFetcher = null) : IPublicationScheduler
{
    private readonly ILogger _logger = logger ?? NullLogger<PublicationScheduler>.Instance;

    public const int MinimumIdPrefix = 6;

    public Task<IReadOnlyList<Publication>> ScheduleAsync(
        Content content, IReadOnlyList<Account> accounts, ScheduleTime when, CancellationToken cancellationToken = default) =>
        ScheduleAsync(content, accounts, when, ScheduleOptions.Default, cancellationToken);

    public Task<IReadOnlyList<Publication>> ScheduleAsync(
        Content content, IReadOnlyList<Account> accounts, ScheduleTime when, ScheduleOptions options, CancellationToken cancellationToken = default) =>
        ScheduleItemsAsync([new ScheduleItem(content, accounts, when)], single: true, options, cancellationToken);

    public Task<IReadOnlyList<Publication>> ScheduleManyAsync(
        IReadOnlyList<ScheduleItem> items, ScheduleOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (items.Count == 0)
        {
            throw new ContentValidationException([new ValidationProblem("items", "give at least one item to schedule")]);
        }

        return ScheduleItemsAsync(items, single: false, options ?? ScheduleOptions.Default, cancellationToken);
    }

    /// <summary>
    /// The one path of every schedule, single or bulk: validate everything, then one query for the accounts, one for
    /// the repost guard (none when every account is new), and one save — one transaction, inserts batched — then
    /// one signal carrying the earliest due time, so that dispatchers with an earlier wake-up planned stay asleep.
    /// </summary>
    private async Task<IReadOnlyList<Publication>> ScheduleItemsAsync(
        IReadOnlyList<ScheduleItem> items, bool single, ScheduleOptions options, CancellationToken cancellationToken)
    {
        ScheduleValidation.ThrowIfInvalid(items, single, registry, contentLimits);

        // Images are read, hashed and checked before anything is stored; their bytes are stored with the rows.
        await using var media = await MediaIngest.PrepareAsync(
            items.Select((item, i) => (item.Content, single ? "" : $"items[{i}].")).DistinctBy(c => c.Content).ToList(),
            imageInspector, mediaFetcher, contentLimits, cancellationToken);
        if (media.Count > 0 && mediaStore is null)
        {
            throw new ContentValidationException([new ValidationProblem("images", "cannot be stored: no media store is registered (AddHeraldStorage registers one)")]);
        }

        if (single && media.Count == 0 && options.ClaimFor is null && await TryAtOnceAsync(items[0], options, cancellationToken) is { } atOnce)
        {
            // The store woke the dispatchers with the same statement.
            return atOnce;
        }

        // The repost guard's check and the inserts share one transaction (on SQLite a write lock from its start), so
        // that two calls scheduling the same content for the same account at the same moment cannot both pass it.
        var publications = await store.InTransactionAsync(
            async () =>
            {
                if (media.Count > 0)
                {
                    await media.StoreAsync(mediaStore!, cancellationToken);
                }

                return await StoreAsync(items, single, options, cancellationToken);
            },
            cancellationToken);
        if (options.ClaimFor is null)
        {
            await SignalAsync(items.Min(i => i.When.Utc));
        }

        return publications;
    }

    /// <summary>
    /// The everyday call — one new content, accounts stored as given — in one round trip where the store can; null
    /// when it cannot, or when the guard found something to name (the general path then does).
    /// </summary>
    private Task<IReadOnlyList<Publication>?> TryAtOnceAsync(ScheduleItem item, ScheduleOptions options, CancellationToken cancellationToken)
    {
        // The same account twice is refused by the general path, which names both.
        if (item.Accounts.DistinctBy(a => (a.Platform, a.DisplayName)).Count() != item.Accounts.Count)
        {
            return Task.FromResult<IReadOnlyList<Publication>?>(null);
        }

        return store.TryAddScheduledAtOnceAsync(
            item.Content,
            item.Accounts,
            guard: !options.Again,
            stored =>
            {
                var map = new Dictionary<Account, Account>(ReferenceEqualityComparer.Instance);
                for (var i = 0; i < stored.Count; i++)
                {
                    map[item.Accounts[i]] = stored[i];
                }

                var now = timeProvider.GetUtcNow();
                return [.. Targets([item], map).Select(t => Create(t.Item, t.Account, options, now))];
            },
            cancellationToken);
    }

    private async Task<IReadOnlyList<Publication>> StoreAsync(
        IReadOnlyList<ScheduleItem> items, bool single, ScheduleOptions options, CancellationToken cancellationToken)
    {
        var accounts = items.SelectMany(i => i.Accounts).Distinct().ToList();
        var staged = await store.StageAccountsAsync(accounts, cancellationToken);
        var stored = new Dictionary<Account, Account>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < accounts.Count; i++)
        {
            stored[accounts[i]] = staged[i].Account;
        }

        if (!options.Again)
        {
            var existing = staged.Where(s => s.Existed).Select(s => s.Account.Id).ToList();
            await RepostGuard.ThrowIfRepostAsync(store, items, stored, existing, single, cancellationToken);
        }

        var now = timeProvider.GetUtcNow();
        var targets = Targets(items, stored);
        // One content given for several items (the same post to X at 9 and LinkedIn at 10) is one row.
        var contents = items.Select(i => i.Content).Distinct().ToList();
        // All or nothing: a failure halfway must not leave some targets stored (a second run would post them twice).
        // An inline send (ClaimFor) goes on to save the publications it was given: they stay tracked. The store makes
        // each publication (renders its payload) as it stores them: the bulk path while the database takes the rows
        // made before.
        return await store.AddScheduledAsync(
            contents,
            targets.Length,
            i => Create(targets[i].Item, targets[i].Account, options, now),
            keepTracked: options.ClaimFor is not null,
            cancellationToken);
    }

    private static (ScheduleItem Item, Account Account)[] Targets(IReadOnlyList<ScheduleItem> items, Dictionary<Account, Account> stored) =>
        [.. items.SelectMany(item => item.Accounts.Select(account => (item, stored[account])))];

    /// <summary>A new publication of <paramref name="item"/> on the stored <paramref name="account"/>, its payload rendered.</summary>
    private Publication Create(ScheduleItem item, Account account, ScheduleOptions options, DateTimeOffset now)
    {
        var adapter = registry.Resolve(account.Platform);
        var platform = adapter.Platform.Id;
        var publication = Publication.Create(
            item.Content.Id, account.Id, platform, item.When.Utc, item.When.TimeZone, retryPolicies.For(platform).MaxRetries, now);
        // What will be sent, visible from the start; the worker stores it again only if it renders differently then.
        publication.SetPayload(adapter.Render(item.Content, account).Body, now);
        if (options.ClaimFor is { } owner)
        {
            // Stored already taken by the caller (an inline send): no worker can claim it in between.
            publication.BeginAttempt(owner, now + options.Lease, now);
        }

        return publication;
    }

    /// <summary>
    /// Wakes the dispatchers (those planning to wake before <paramref name="dueAt"/> need not). Best effort, after the commit: what is stored is stored, and a worker that missed
    /// the signal finds the change at its next safety poll.
    /// </summary>
    private async Task SignalAsync(DateTimeOffset? dueAt = null)
    {
        try
        {
            await notifier.NotifyAsync(dueAt, CancellationToken.None);
        }
        catch (Exception ex)
        {
            HeraldLog.SignalFailed(_logger, ex.GetType().Name);
        }
    }

    public Task<Publication> CancelAsync(PublicationId id, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, (p, now) => p.Cancel(now), notify: false, cancellationToken);

    public Task<Publication> RescheduleAsync(PublicationId id, ScheduleTime when, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, (p, now) => p.Reschedule(when.Utc, when.TimeZone, now), notify: true, cancellationToken);

    public Task<Publication> RetryNowAsync(PublicationId id, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, (p, now) => p.RetryNow(now), notify: true, cancellationToken);

    public Task<Publication> MarkPostedAsync(PublicationId id, Uri? url, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, (p, now) => p.MarkPosted(url, now), notify: false, cancellationToken);

    public async Task<PublicationDetails?> GetAsync(PublicationId id, CancellationToken cancellationToken = default)
    {
        var publication = await store.GetPublicationAsync(id, cancellationToken);
        if (publication is null)
        {
            return null;
        }

        return new PublicationDetails(
            publication,
            await store.GetContentAsync(publication.ContentId, cancellationToken),
            await store.GetAccountAsync(publication.AccountId, cancellationToken),
            await store.GetAttemptsAsync(id, cancellationToken));
    }

    public Task<IReadOnlyList<Publication>> ListAsync(PublicationStatus? status = null, int limit = 50, CancellationToken cancellationToken = default) =>
        store.ListPublicationsAsync(status, limit, cancellationToken);

    public async Task<PublicationId> ResolveIdAsync(string idOrPrefix, CancellationToken cancellationToken = default)
    {
        var prefix = idOrPrefix.Trim().Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        if (prefix.Length is < MinimumIdPrefix or > 32 || !prefix.All(Uri.IsHexDigit))
        {
            throw new ArgumentException(
                $"id: must be a publication id or at least its first {MinimumIdPrefix} hex characters, not '{idOrPrefix}'", nameof(idOrPrefix));
        }

        var matches = await store.FindByIdPrefixAsync(prefix, 2, cancellationToken);
        return matches.Count switch
        {
            0 => throw new ArgumentException($"id: no publication starts with '{prefix}'", nameof(idOrPrefix)),
            > 1 => throw new ArgumentException($"id: '{prefix}' matches several publications; give more characters", nameof(idOrPrefix)),
            _ => matches[0].Id,
        };
    }

    private async Task<Publication> ChangeAsync(
        PublicationId id, Action<Publication, DateTimeOffset> change, bool notify, CancellationToken cancellationToken)
    {
        var publication = await store.GetPublicationAsync(id, cancellationToken)
            ?? throw new ArgumentException($"id: no publication {id}", nameof(id));
        change(publication, timeProvider.GetUtcNow());
        // Refused if a worker changed it meanwhile (optimistic concurrency): nothing is overwritten.
        await store.SavePublicationAsync(publication, cancellationToken);
        if (notify)
        {
            await SignalAsync();
        }

        return publication;
    }
}
