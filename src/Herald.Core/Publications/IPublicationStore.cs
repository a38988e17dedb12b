using Herald.Accounts;
using Herald.Contents;

namespace Herald.Publications;

/// <summary>Where contents, accounts, publications and their attempts are kept (Herald.Storage implements it).</summary>
public interface IPublicationStore
{
    Task AddContentAsync(Content content, CancellationToken cancellationToken = default);

    /// <summary>
    /// The publications of any of <paramref name="fingerprints"/> (<see cref="ContentFingerprint"/>) on any of
    /// <paramref name="accounts"/> that are published or on their way, oldest first, in one query: the repost guard
    /// of a bulk schedule.
    /// </summary>
    Task<IReadOnlyList<(Publication Publication, string Fingerprint)>> FindEarlierPublicationsAsync(
        IReadOnlyCollection<string> fingerprints, IReadOnlyCollection<AccountId> accounts, CancellationToken cancellationToken = default);

    /// <summary>Adds the account, or updates the one with the same platform and display name; returns the stored one.</summary>
    Task<Account> UpsertAccountAsync(Account account, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="UpsertAccountAsync"/> for several accounts with one query and no write: what is new or changed is
    /// stored with the next <see cref="SaveChangesAsync"/>; an account whose credentials and settings are as stored
    /// is not written at all. Returns the stored accounts in the order given, and which of them were already stored.
    /// </summary>
    Task<IReadOnlyList<(Account Account, bool Existed)>> StageAccountsAsync(
        IReadOnlyList<Account> accounts, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores contents and <paramref name="count"/> new publications, with what <see cref="StageAccountsAsync"/>
    /// staged, in one transaction, and returns the publications in order. <paramref name="create"/> makes publication
    /// <c>i</c>, at most once for each index: on the database's bulk path (PostgreSQL binary COPY, many rows, unless
    /// <paramref name="keepTracked"/>) in order, just before its row is written, so making them (rendering payloads)
    /// overlaps the database taking the rows before; otherwise all first, spread over the cores. If one cannot be
    /// made, the exception surfaces, nothing is stored and nothing is returned. Afterwards the contents and
    /// publications are tracked by this store only when <paramref name="keepTracked"/>, whichever path stored them
    /// (otherwise load them to change them). Call it inside <see cref="InTransactionAsync{T}"/> with the staging, as
    /// the scheduler does: that is what forgets the staged accounts when the call fails.
    /// </summary>
    Task<IReadOnlyList<Publication>> AddScheduledAsync(
        IReadOnlyList<Content> contents, int count, Func<int, Publication> create, bool keepTracked, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a new content and its publications at once — on PostgreSQL one round trip, the repost guard included
    /// unless <paramref name="guard"/> is false — when every one of <paramref name="accounts"/> is known to be stored
    /// exactly as given (credentials from the same configured values, the same settings and base address).
    /// <paramref name="create"/> builds the publications from the stored accounts, in the order given. Returns null,
    /// having stored nothing, when it cannot: an account it has not seen as given lately, an earlier publication the
    /// guard found, a store without such a path (the default). The caller then takes the general path
    /// (<see cref="StageAccountsAsync"/>, <see cref="FindEarlierPublicationsAsync"/>, <see cref="AddScheduledAsync"/>),
    /// which also names what the guard found. What it returns is not tracked. What it stores, it also announces to
    /// the dispatchers of every process (as <c>IDueNotifier</c> would): the caller need not.
    /// </summary>
    Task<IReadOnlyList<Publication>?> TryAddScheduledAtOnceAsync(
        Content content,
        IReadOnlyList<Account> accounts,
        bool guard,
        Func<IReadOnlyList<Account>, IReadOnlyList<Publication>> create,
        CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Publication>?>(null);

    Task AddPublicationAsync(Publication publication, CancellationToken cancellationToken = default);

    /// <summary>Saves the publication's changes; refuses when another writer changed it first.</summary>
    Task SavePublicationAsync(Publication publication, CancellationToken cancellationToken = default);

    Task AddAttemptAsync(Attempt attempt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the attempt row without saving: it is stored with the publication's next save, in the same
    /// transaction, so the history can never hold an attempt the publication's own counts do not.
    /// </summary>
    void StageAttempt(Attempt attempt);

    /// <summary>
    /// Runs <paramref name="work"/> (calls on this store) in one transaction: all of it is stored, or none. When it
    /// fails, the store also forgets every entity it tracks — what the work staged was not stored — so that a later
    /// call in the same scope starts clean; an entity loaded before must be loaded again to be changed.
    /// </summary>
    Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken = default);

    /// <summary>Saves the publication's new status and its attempt row in one transaction; refuses as <see cref="SavePublicationAsync"/> does.</summary>
    Task SaveOutcomeAsync(Publication publication, Attempt attempt, CancellationToken cancellationToken = default);

    /// <summary>Starts tracking a publication loaded by another store (a batch), so that this store can save it.</summary>
    void Attach(Publication publication);

    /// <summary>Loads publications with their contents and accounts, one query each; the publications are tracked.</summary>
    Task<PublicationBatch> LoadBatchAsync(IReadOnlyCollection<PublicationId> ids, CancellationToken cancellationToken = default);

    /// <summary>Saves every change to what this store tracks, in one transaction.</summary>
    Task SaveChangesAsync(CancellationToken cancellationToken = default);

    Task<Content?> GetContentAsync(ContentId id, CancellationToken cancellationToken = default);

    Task<Account?> GetAccountAsync(AccountId id, CancellationToken cancellationToken = default);

    /// <summary>The publications whose id (32 hex digits) starts with <paramref name="hexPrefix"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<Publication>> FindByIdPrefixAsync(string hexPrefix, int limit = 10, CancellationToken cancellationToken = default);

    Task<Publication?> GetPublicationAsync(PublicationId id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Attempt>> GetAttemptsAsync(PublicationId id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Publication>> ListPublicationsAsync(
        PublicationStatus? status = null,
        int limit = 100,
        CancellationToken cancellationToken = default);
}

/// <summary>Publications with the contents and accounts they need, loaded together for a batch.</summary>
public sealed record PublicationBatch(
    IReadOnlyList<Publication> Publications,
    IReadOnlyDictionary<ContentId, Content> Contents,
    IReadOnlyDictionary<AccountId, Account> Accounts);

/// <summary>Another writer changed the publication since it was loaded; nothing was saved.</summary>
public sealed class PublicationConflictException(PublicationId id, Exception inner)
    : InvalidOperationException($"Publication {id} was changed by another worker since it was loaded; nothing was saved. Load it again.", inner)
{
    public PublicationId PublicationId { get; } = id;
}
