using Herald.Accounts;
using Herald.Contents;
using Herald.Publications;

namespace Herald.Scheduling;

/// <summary>
/// Herald's scheduling API, used by the CLI and the server: publish now or at a time, cancel, reschedule,
/// retry now, mark a manual post as posted, and look at publications with their attempts. Publishing itself
/// happens in the workers (<c>herald work</c>, or any host with <c>AddHeraldJobs</c>).
/// </summary>
/// <remarks>
/// The publications a schedule call returns are a record of what was stored, not tracked by the scope's store
/// (whatever the database or the size of the call): to change one, load it (<see cref="GetAsync"/>) or use the
/// methods here. Only those stored with <see cref="ScheduleOptions.ClaimFor"/> stay tracked, for the caller's
/// inline send to save. A call that fails stores nothing and leaves the scope's store clean: calling again in the
/// same scope works as in a new one.
/// </remarks>
public interface IPublicationScheduler
{
    /// <summary>
    /// Validates <paramref name="content"/> for every account (any problem → <see cref="Validation.ContentValidationException"/>
    /// listing all of them, and nothing is stored), then stores it with one publication per account, due at
    /// <paramref name="when"/>, and wakes the dispatchers.
    /// </summary>
    Task<IReadOnlyList<Publication>> ScheduleAsync(
        Content content,
        IReadOnlyList<Account> accounts,
        ScheduleTime when,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="ScheduleAsync(Content, IReadOnlyList{Account}, ScheduleTime, CancellationToken)"/> with options: post
    /// the same content again on purpose, or store the publications already taken by the caller for an inline send.
    /// </summary>
    Task<IReadOnlyList<Publication>> ScheduleAsync(
        Content content,
        IReadOnlyList<Account> accounts,
        ScheduleTime when,
        ScheduleOptions options,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Schedules many contents in one call, each to its own accounts at its own time — for importing a backlog or a
    /// whole campaign. Every item is validated first (any problem → <see cref="Validation.ContentValidationException"/>
    /// listing all of them, each field named <c>items[i].…</c>, and nothing is stored); then everything is stored in one
    /// transaction with batched inserts, and the dispatchers are woken once. Returns the publications in item order,
    /// each item's accounts in the order given.
    /// </summary>
    Task<IReadOnlyList<Publication>> ScheduleManyAsync(
        IReadOnlyList<ScheduleItem> items,
        ScheduleOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Cancels a publication that has not been sent (Scheduled, RetryScheduled, AwaitingManualAction).</summary>
    /// <exception cref="IllegalTransitionException">It cannot be cancelled from its status.</exception>
    Task<Publication> CancelAsync(PublicationId id, CancellationToken cancellationToken = default);

    /// <summary>Moves a waiting, failed or cancelled publication to another time; its retries start again.</summary>
    Task<Publication> RescheduleAsync(PublicationId id, ScheduleTime when, CancellationToken cancellationToken = default);

    /// <summary>Failed, NeedsReview or RetryScheduled → due now, retries reset.</summary>
    Task<Publication> RetryNowAsync(PublicationId id, CancellationToken cancellationToken = default);

    /// <summary>The user posted it by hand (a manual platform, or after review); <paramref name="url"/> is where it lives.</summary>
    Task<Publication> MarkPostedAsync(PublicationId id, Uri? url, CancellationToken cancellationToken = default);

    /// <summary>One publication with every attempt, oldest first; null when there is none with that id.</summary>
    Task<PublicationDetails?> GetAsync(PublicationId id, CancellationToken cancellationToken = default);

    /// <summary>The newest publications, optionally of one status.</summary>
    Task<IReadOnlyList<Publication>> ListAsync(PublicationStatus? status = null, int limit = 50, CancellationToken cancellationToken = default);

    /// <summary>The one publication whose id starts with <paramref name="idOrPrefix"/> (6+ hex digits).</summary>
    /// <exception cref="ArgumentException">No publication, or several, match; the message says which.</exception>
    Task<PublicationId> ResolveIdAsync(string idOrPrefix, CancellationToken cancellationToken = default);
}

/// <summary>How <see cref="IPublicationScheduler.ScheduleAsync(Content, IReadOnlyList{Account}, ScheduleTime, ScheduleOptions, CancellationToken)"/> stores.</summary>
public sealed record ScheduleOptions
{
    public static ScheduleOptions Default { get; } = new();

    /// <summary>
    /// Publish even though the same content (canonical URL, or the same text) was already published — or is on its
    /// way — to the same account. Off by default: running the same post twice is refused, naming the earlier one.
    /// </summary>
    public bool Again { get; init; }

    /// <summary>
    /// Store the publications already <c>Publishing</c> under this lease owner (an inline send); null to queue them.
    /// The publications returned then stay tracked by the scope's store, so that the caller can save their progress.
    /// </summary>
    public string? ClaimFor { get; init; }

    /// <summary>The lease of <see cref="ClaimFor"/>.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>One content to publish to <paramref name="Accounts"/> at <paramref name="When"/>: an item of <see cref="IPublicationScheduler.ScheduleManyAsync"/>.</summary>
public sealed record ScheduleItem(Content Content, IReadOnlyList<Account> Accounts, ScheduleTime When);

/// <summary>A publication with its content, account and attempts.</summary>
public sealed record PublicationDetails(Publication Publication, Content? Content, Account? Account, IReadOnlyList<Attempt> Attempts);
