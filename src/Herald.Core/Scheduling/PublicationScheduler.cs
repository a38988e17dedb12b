using Herald.Accounts;
using Herald.Contents;
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
    ILogger<PublicationScheduler>? logger = null) : IPublicationScheduler
{
    private readonly ILogger _logger = logger ?? NullLogger<PublicationScheduler>.Instance;

    public const int MinimumIdPrefix = 6;

    public Task<IReadOnlyList<Publication>> ScheduleAsync(
        Content content, IReadOnlyList<Account> accounts, ScheduleTime when, CancellationToken cancellationToken = default) =>
        ScheduleAsync(content, accounts, when, ScheduleOptions.Default, cancellationToken);

    public async Task<IReadOnlyList<Publication>> ScheduleAsync(
        Content content, IReadOnlyList<Account> accounts, ScheduleTime when, ScheduleOptions options, CancellationToken cancellationToken = default)
    {
        if (accounts.Count == 0)
        {
            throw new ContentValidationException([new ValidationProblem("targets", "name at least one account to publish to")]);
        }

        // Adapters are only given content that passed the common rules (valid Unicode text, within the size limit).
        if (ContentRules.Validate(content, contentLimits) is { Count: > 0 } common)
        {
            throw new ContentValidationException(common);
        }

        var problems = new List<ValidationProblem>();
        foreach (var account in accounts)
        {
            if (!registry.TryResolve(account.Platform, out var adapter))
            {
                problems.Add(new ValidationProblem("platform", $"unknown platform '{account.Platform}'; known platforms: {string.Join(", ", registry.PlatformIds)}"));
                continue;
            }

            problems.AddRange(adapter.Validate(content, account));
        }

        if (problems.Count > 0)
        {
            throw new ContentValidationException(problems);
        }

        var now = timeProvider.GetUtcNow();
        // All or nothing: a failure halfway must not leave some targets stored (a second run would post them twice).
        var publications = await store.InTransactionAsync(() => StoreAsync(content, accounts, when, options, now, cancellationToken), cancellationToken);
        if (options.ClaimFor is null)
        {
            await SignalAsync();
        }

        return publications;
    }

    private async Task<List<Publication>> StoreAsync(
        Content content, IReadOnlyList<Account> accounts, ScheduleTime when, ScheduleOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await store.AddContentAsync(content, cancellationToken);
        var stored = new List<Account>(accounts.Count);
        foreach (var account in accounts)
        {
            stored.Add(await store.UpsertAccountAsync(account, cancellationToken));
        }

        if (!options.Again)
        {
            await RefuseRepostsAsync(content, stored, cancellationToken);
        }

        var publications = new List<Publication>(accounts.Count);
        foreach (var account in stored)
        {
            var adapter = registry.Resolve(account.Platform);
            var platform = adapter.Platform.Id;
            var publication = Publication.Create(
                content.Id, account.Id, platform, when.Utc, when.TimeZone, retryPolicies.For(platform).MaxRetries, now);
            // What will be sent, visible from the start; the worker stores it again only if it renders differently then.
            publication.SetPayload(adapter.Render(content, account).Body, now);
            if (options.ClaimFor is { } owner)
            {
                // Stored already taken by the caller (an inline send): no worker can claim it in between.
                publication.BeginAttempt(owner, now + options.Lease, now);
            }

            await store.AddPublicationAsync(publication, cancellationToken);
            publications.Add(publication);
        }

        return publications;
    }

    /// <summary>
    /// The repost guard: the same content (its canonical URL, or the hash of its text) published — or on its way —
    /// to the same account is refused, naming the earlier publication, unless the caller said "again".
    /// </summary>
    private async Task RefuseRepostsAsync(Content content, List<Account> accounts, CancellationToken cancellationToken)
    {
        var earlier = await store.FindEarlierPublicationsAsync(content, [.. accounts.Select(a => a.Id)], cancellationToken);
        if (earlier.Count == 0)
        {
            return;
        }

        var problems = earlier
            .GroupBy(p => p.AccountId)
            .Select(g => g.Last())
            .Select(p =>
            {
                var account = accounts.First(a => a.Id == p.AccountId);
                var what = p.Status == PublicationStatus.Published
                    ? $"was already published there{(p.Url is null ? "" : $" ({p.Url})")}"
                    : $"is already on its way there ({p.Status})";
                return new ValidationProblem(
                    account.Platform,
                    $"this content {what} as publication {p.Id} on {p.CreatedAt:yyyy-MM-dd HH:mm} UTC, account '{account.DisplayName}'; " +
                    "to post it again anyway, say so (herald post --again)");
            })
            .ToList();
        throw new ContentValidationException(problems);
    }

    /// <summary>
    /// Wakes the dispatchers. Best effort, after the commit: what is stored is stored, and a worker that missed
    /// the signal finds the change at its next safety poll.
    /// </summary>
    private async Task SignalAsync()
    {
        try
        {
            await notifier.NotifyAsync(CancellationToken.None);
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
