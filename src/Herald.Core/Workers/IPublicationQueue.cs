namespace Herald.Workers;

/// <summary>
/// The questions the dispatcher and the batch job ask the database; each is one short statement
/// (Herald.Storage implements them in SQL for SQLite and PostgreSQL).
/// </summary>
public interface IPublicationQueue
{
    /// <summary>
    /// Claims up to <paramref name="batchSize"/> publications in one statement: due ones
    /// (<c>Scheduled</c>/<c>RetryScheduled</c>, due ≤ <paramref name="now"/> + <paramref name="holdAhead"/>; an
    /// attempt is counted) and <c>Publishing</c> ones whose lease expired by <paramref name="now"/> (recovered: a
    /// worker died; reconciled before any resend). Each becomes <c>Publishing</c> with <paramref name="claimToken"/>
    /// as lease owner until <paramref name="leaseUntil"/>. Rows another process is claiming are skipped. A row due
    /// after <paramref name="now"/> comes back with its due instant (<see cref="ClaimedPublication.DueAt"/>): it must
    /// not be sent before it.
    /// </summary>
    Task<IReadOnlyList<ClaimedPublication>> ClaimDueAsync(
        int batchSize,
        DateTimeOffset now,
        TimeSpan holdAhead,
        DateTimeOffset leaseUntil,
        string claimToken,
        CancellationToken cancellationToken = default);

    /// <summary>Claims what is due by <paramref name="now"/>, holding nothing ahead.</summary>
    Task<IReadOnlyList<ClaimedPublication>> ClaimDueAsync(
        int batchSize,
        DateTimeOffset now,
        DateTimeOffset leaseUntil,
        string claimToken,
        CancellationToken cancellationToken = default) =>
        ClaimDueAsync(batchSize, now, TimeSpan.Zero, leaseUntil, claimToken, cancellationToken);

    /// <summary>
    /// When the dispatcher must look next: the earliest due instant less <paramref name="holdAhead"/>, or the
    /// earliest lease expiry, whichever comes first; null when nothing waits.
    /// </summary>
    Task<DateTimeOffset?> NextWakeAsync(TimeSpan holdAhead, CancellationToken cancellationToken = default);

    /// <summary>The earliest instant something becomes due or a lease expires; null when nothing waits.</summary>
    Task<DateTimeOffset?> NextWakeAsync(CancellationToken cancellationToken = default) => NextWakeAsync(TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// Gives back what a claim still holds when its hand-off to the job engine failed: the rows still
    /// <c>Publishing</c> under <paramref name="claimToken"/> (no job took them, so nothing was sent) get a lease
    /// that ends at <paramref name="leaseEndsAt"/> (now, or the latest due instant of the rows it held ahead, so none
    /// is sent early), and the next claim in any process takes them as never taken — run as fresh, no attempt counted
    /// twice — instead of after the whole lease. Rows a job already took are left alone. Returns how many were given
    /// back; other processes' dispatchers are woken when there were any.
    /// </summary>
    Task<int> ReleaseClaimAsync(string claimToken, DateTimeOffset leaseEndsAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// A batch job takes the rows its claim holds: those of <paramref name="ids"/> still <c>Publishing</c> under
    /// <paramref name="claimToken"/> get <paramref name="runId"/> as owner and a lease until
    /// <paramref name="leaseUntil"/> — or, when <paramref name="keepLeaseFrom"/> is given, a row whose lease already
    /// ends at or after it keeps that lease (a job that starts moments after its claim then changes no indexed
    /// column, and PostgreSQL updates the row in place). Every row taken holds a lease until at least
    /// <paramref name="keepLeaseFrom"/> (or <paramref name="leaseUntil"/>). A second run of the same job finds none.
    /// </summary>
    Task<IReadOnlyList<PublicationId>> TakeOwnershipAsync(
        IReadOnlyCollection<PublicationId> ids,
        string claimToken,
        string runId,
        DateTimeOffset leaseUntil,
        DateTimeOffset? keepLeaseFrom = null,
        CancellationToken cancellationToken = default);
}

/// <summary>
/// One claimed publication; <paramref name="Recovered"/> when its earlier worker's lease had expired;
/// <paramref name="DueAt"/> when it was claimed ahead of its due instant (held), which it must not be sent before.
/// </summary>
public sealed record ClaimedPublication(PublicationId Id, bool Recovered, DateTimeOffset? DueAt = null);

/// <summary>What the dispatcher hands to the job engine: one claim, the ids split into fresh and recovered.</summary>
public sealed record ClaimedBatch(string ClaimToken, IReadOnlyList<Guid> Fresh, IReadOnlyList<Guid> Recovered)
{
    public int Count => Fresh.Count + Recovered.Count;

    /// <summary>The publications claimed ahead of their due instant, with that instant: none is sent before it.</summary>
    public IReadOnlyDictionary<Guid, DateTimeOffset>? NotBefore { get; init; }
}

/// <summary>Hands a claimed batch to the job engine (Hangfire in Herald.Jobs).</summary>
public interface IBatchSink
{
    /// <summary>How many batches wait for a worker; the dispatcher claims no more while this is at its limit.</summary>
    Task<long> PendingAsync(CancellationToken cancellationToken = default);

    Task EnqueueAsync(ClaimedBatch batch, CancellationToken cancellationToken = default);
}
