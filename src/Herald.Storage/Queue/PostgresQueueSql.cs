using Herald.Workers;

namespace Herald.Storage.Queue;

/// <summary>
/// The dispatcher's SQL on PostgreSQL, in one place, built from <see cref="QueueSql"/> (statuses) and
/// <see cref="ClaimTokens"/> (the claim prefix). Statuses are literals in the text, not parameters, so the planner
/// can match the partial indexes' predicates (<c>ix_publications_due</c>, <c>ix_publications_lease</c>, whose
/// filters are the same fragments).
/// </summary>
internal static class PostgresQueueSql
{
    private const string NeverTaken = $"'{ClaimTokens.Prefix}%'";

    /// <summary>
    /// Takes over expired leases. A lease that expired under a job's run (not a claim token that no job took) is an
    /// attempt that ended without an outcome: the claim counts it (attempt_count; recovery_count when the run had
    /// begun to look it up or send it, so rows a dying worker never reached are not pushed towards review) and
    /// writes its history row, in the same statement, so no later step can repeat an attempt number. The row starts
    /// when the run began to look the publication up or send it, or else at its last visible change (the claim).
    /// </summary>
    public static readonly string ClaimRecovered = $"""
        WITH due AS (
            SELECT id, lease_owner, attempt_count, updated_at, work_started_at, lease_expires_at FROM publications
            WHERE {QueueSql.IsLeased} AND lease_expires_at < @now
            ORDER BY lease_expires_at
            LIMIT @limit
            FOR UPDATE SKIP LOCKED),
        claimed AS (
            UPDATE publications p
            SET lease_owner = @token, lease_expires_at = @lease, work_started_at = NULL, version = p.version + 1, updated_at = @now,
                attempt_count = p.attempt_count + CASE WHEN due.lease_owner LIKE {NeverTaken} THEN 0 ELSE 1 END,
                recovery_count = p.recovery_count + CASE WHEN due.lease_owner LIKE {NeverTaken} OR p.work_started_at IS NULL THEN 0 ELSE 1 END
            FROM due WHERE p.id = due.id
            RETURNING p.id, p.account_id, due.lease_owner, due.attempt_count AS ended,
                coalesce(due.work_started_at, due.updated_at) AS began, due.lease_expires_at AS expired),
        history AS (
            INSERT INTO attempts (publication_id, account_id, number, started_at, ended_at, outcome, error)
            SELECT id, account_id, ended, least(began, expired), expired, {QueueSql.UnknownOutcome}, @lost
            FROM claimed WHERE lease_owner NOT LIKE {NeverTaken} AND ended > 0
            ON CONFLICT (publication_id, number) DO NOTHING)
        SELECT id, lease_owner FROM claimed
        """;

    /// <summary>
    /// Moves publications due by <c>@due_by</c> (now, plus how far ahead the worker holds) to Publishing under the
    /// claim's lease, an attempt counted; returns each one's due instant, which a held one must not be sent before.
    /// </summary>
    public static readonly string ClaimFresh = $"""
        WITH due AS (
            SELECT id, next_attempt_at FROM publications
            WHERE {QueueSql.IsDue} AND next_attempt_at <= @due_by
            ORDER BY next_attempt_at
            LIMIT @limit
            FOR UPDATE SKIP LOCKED)
        UPDATE publications p
        SET status = {QueueSql.Publishing}, attempt_count = p.attempt_count + 1, lease_owner = @token,
            lease_expires_at = @lease, next_attempt_at = NULL, work_started_at = NULL, version = p.version + 1, updated_at = @now
        FROM due WHERE p.id = due.id
        RETURNING p.id, NULL::text, due.next_attempt_at
        """;

    /// <summary>
    /// A claim whose hand-off failed gives its rows back: their lease ends at <c>@ends</c> (the owner stays the
    /// claim's token, so the next claim takes them as never taken), and the other dispatchers are woken in the same
    /// statement when any row was given back.
    /// </summary>
    public static readonly string ReleaseClaim = $"""
        WITH released AS (
            UPDATE publications
            SET lease_expires_at = @ends, version = version + 1
            WHERE lease_owner = @token AND {QueueSql.IsLeased}
            RETURNING id),
        woken AS (
            SELECT pg_notify(@channel, @payload) FROM (SELECT 1 FROM released LIMIT 1) AS any_released)
        SELECT (SELECT count(*) FROM released)::int, (SELECT count(*) FROM woken)::int
        """;

    /// <summary>
    /// A job replaces the claim's token with its run id on the rows still under that claim. A lease that ends at or
    /// after <c>@keep_from</c> is kept: written with its own value, the indexed column is unchanged and the update is
    /// a heap-only (HOT) one, with no index entries to add.
    /// </summary>
    public static readonly string TakeOwnership = $"""
        UPDATE publications
        SET lease_owner = @run, work_started_at = NULL, version = version + 1,
            lease_expires_at = CASE WHEN @keep_from IS NOT NULL AND lease_expires_at >= @keep_from THEN lease_expires_at ELSE @lease END
        WHERE id = ANY(@ids) AND lease_owner = @token AND {QueueSql.IsLeased}
        RETURNING id
        """;
}
