using Herald.Workers;

namespace Herald.Storage.Queue;

/// <summary>
/// The dispatcher's SQL on SQLite, in one place, built from <see cref="QueueSql"/> (statuses) and
/// <see cref="ClaimTokens"/> (the claim prefix). Times are UTC ticks, ids upper-case text, as EF Core stores them.
/// </summary>
internal static class SqliteQueueSql
{
    private const string NeverTaken = $"'{ClaimTokens.Prefix}%'";

    /// <summary>The ids of the expired leases the claim takes (one writer: each statement below sees the same rows).</summary>
    private static readonly string Expired =
        $"SELECT id FROM publications WHERE {QueueSql.IsLeased} AND lease_expires_at < $now ORDER BY lease_expires_at LIMIT $limit";

    /// <summary>
    /// The publications due by <c>$due_by</c> (now, plus how far ahead the worker holds), with their due instants:
    /// read first (RETURNING would give the new, cleared value), then taken by the UPDATE — the same rows, as the
    /// order is total and nothing else writes inside the claim's transaction.
    /// </summary>
    private static readonly string Due =
        $"SELECT id, next_attempt_at FROM publications WHERE {QueueSql.IsDue} AND next_attempt_at <= $due_by ORDER BY next_attempt_at, id LIMIT $limit";

    /// <summary>
    /// The whole claim, run in one transaction: the expired leases with their owners; the history row of each
    /// attempt that ended without an outcome under a job's run (not a claim token no job took), the attempt counted
    /// (attempt_count; recovery_count if the run had begun to look it up or send it), so no later step can repeat an attempt number; the
    /// takeover of those leases; then the due publications, with their due instants, moved to Publishing.
    /// </summary>
    public static readonly string Claim = $"""
        SELECT id, lease_owner FROM publications
        WHERE {QueueSql.IsLeased} AND lease_expires_at < $now
        ORDER BY lease_expires_at LIMIT $limit;
        INSERT OR IGNORE INTO attempts (publication_id, account_id, number, started_at, ended_at, outcome, error)
        SELECT id, account_id, attempt_count, min(coalesce(work_started_at, updated_at), lease_expires_at), lease_expires_at, {QueueSql.UnknownOutcome}, $lost FROM publications
        WHERE id IN ({Expired})
          AND lease_owner NOT LIKE {NeverTaken} AND attempt_count > 0;
        UPDATE publications
        SET lease_owner = $token, lease_expires_at = $lease, work_started_at = NULL, version = version + 1, updated_at = $now,
            attempt_count = attempt_count + CASE WHEN lease_owner LIKE {NeverTaken} THEN 0 ELSE 1 END,
            recovery_count = recovery_count + CASE WHEN lease_owner LIKE {NeverTaken} OR work_started_at IS NULL THEN 0 ELSE 1 END
        WHERE id IN ({Expired})
        RETURNING id;
        SELECT id, next_attempt_at FROM ({Due});
        UPDATE publications
        SET status = {QueueSql.Publishing}, attempt_count = attempt_count + 1, lease_owner = $token,
            lease_expires_at = $lease, next_attempt_at = NULL, work_started_at = NULL, version = version + 1, updated_at = $now
        WHERE id IN (SELECT id FROM ({Due}))
        RETURNING id;
        """;

    /// <summary>
    /// <see cref="QueueSql.NextWake"/> with each half held to its partial index. Without statistics (Herald does not run
    /// <c>ANALYZE</c>) SQLite's planner prefers an index that starts with the status for the due half, reads every
    /// pending publication and sorts them — 238 ms a wake-up beside 100,000 pending (docs/benchmarks.md), against
    /// 0.02 ms from the front of <c>ix_publications_due</c>. <c>INDEXED BY</c> makes the statement fail rather than run
    /// without the index.
    /// </summary>
    public static readonly string NextWake = QueueSql.NextWakeFrom(
        $"publications INDEXED BY {QueueSql.DueIndex}", $"publications INDEXED BY {QueueSql.LeaseIndex}");

    /// <summary>A claim whose hand-off failed gives its rows back: their lease ends at <c>$ends</c>, the owner stays the claim's token.</summary>
    public static readonly string ReleaseClaim = $"""
        UPDATE publications
        SET lease_expires_at = $ends, version = version + 1
        WHERE lease_owner = $token AND {QueueSql.IsLeased}
        """;

    /// <summary>
    /// A job replaces the claim's token with its run id, keeping a lease that ends at or after <c>$keep_from</c> (as
    /// on PostgreSQL); <paramref name="idParameters"/> name the ids.
    /// </summary>
    public static string TakeOwnership(IEnumerable<string> idParameters) => $"""
        UPDATE publications
        SET lease_owner = $run, work_started_at = NULL, version = version + 1,
            lease_expires_at = CASE WHEN $keep_from IS NOT NULL AND lease_expires_at >= $keep_from THEN lease_expires_at ELSE $lease END
        WHERE id IN ({string.Join(", ", idParameters)}) AND lease_owner = $token AND {QueueSql.IsLeased}
        RETURNING id
        """;
}
