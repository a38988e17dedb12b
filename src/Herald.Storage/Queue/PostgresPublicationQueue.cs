using Herald.Scheduling;
using Npgsql;
using NpgsqlTypes;

namespace Herald.Storage.Queue;

/// <summary>
/// The dispatcher's queries on PostgreSQL. A claim is one round trip and one transaction:
/// <c>FOR UPDATE SKIP LOCKED</c> lets several processes claim at once without waiting on each other or
/// claiming a row twice. Every query walks a partial index from its front (see <c>ix_publications_due</c>,
/// <c>ix_publications_lease</c>), so none grows with the number of future publications.
/// </summary>
internal sealed class PostgresPublicationQueue(NpgsqlDataSource dataSource) : IPublicationQueue
{
    // Status literals (not parameters) so the planner can match the partial indexes' predicates.
    // A lease that expired under a job's run (not a claim token that no job took) is an attempt that ended
    // without an outcome: the claim counts it (attempt_count; recovery_count when its send had started, so rows a
    // dying worker never reached are not pushed towards review) and writes its history row, in the same statement,
    // so no later step can repeat an attempt number. 'claim-' is ClaimTokens' prefix.
    private const string ClaimRecovered = """
        WITH due AS (
            SELECT id, lease_owner, attempt_count, updated_at, lease_expires_at FROM publications
            WHERE status = 'Publishing' AND lease_expires_at < @now
            ORDER BY lease_expires_at
            LIMIT @limit
            FOR UPDATE SKIP LOCKED),
        claimed AS (
            UPDATE publications p
            SET lease_owner = @token, lease_expires_at = @lease, version = p.version + 1, updated_at = @now,
                attempt_count = p.attempt_count + CASE WHEN due.lease_owner LIKE 'claim-%' THEN 0 ELSE 1 END,
                recovery_count = p.recovery_count + CASE WHEN due.lease_owner LIKE 'claim-%' OR p.uncertain_since IS NULL THEN 0 ELSE 1 END
            FROM due WHERE p.id = due.id
            RETURNING p.id, due.lease_owner, due.attempt_count AS ended, due.updated_at AS last_write, due.lease_expires_at AS expired),
        history AS (
            INSERT INTO attempts (publication_id, number, started_at, ended_at, outcome, error)
            SELECT id, ended, least(last_write, expired), expired, 'Unknown', @lost
            FROM claimed WHERE lease_owner NOT LIKE 'claim-%' AND ended > 0
            ON CONFLICT (publication_id, number) DO NOTHING)
        SELECT id, lease_owner FROM claimed
        """;

    private const string ClaimFresh = """
        WITH due AS (
            SELECT id FROM publications
            WHERE status IN ('Scheduled', 'RetryScheduled') AND next_attempt_at <= @now
            ORDER BY next_attempt_at
            LIMIT @limit
            FOR UPDATE SKIP LOCKED)
        UPDATE publications p
        SET status = 'Publishing', attempt_count = p.attempt_count + 1, lease_owner = @token,
            lease_expires_at = @lease, next_attempt_at = NULL, version = p.version + 1, updated_at = @now
        FROM due WHERE p.id = due.id
        RETURNING p.id, NULL::text
        """;

    internal const string NextWake = """
        SELECT
            (SELECT next_attempt_at FROM publications
             WHERE status IN ('Scheduled', 'RetryScheduled') AND next_attempt_at IS NOT NULL
             ORDER BY next_attempt_at LIMIT 1),
            (SELECT lease_expires_at FROM publications
             WHERE status = 'Publishing' AND lease_expires_at IS NOT NULL
             ORDER BY lease_expires_at LIMIT 1)
        """;

    private const string TakeOwnership = """
        UPDATE publications
        SET lease_owner = @run, lease_expires_at = @lease, version = version + 1
        WHERE id = ANY(@ids) AND lease_owner = @token AND status = 'Publishing'
        RETURNING id
        """;

    public async Task<IReadOnlyList<ClaimedPublication>> ClaimDueAsync(
        int batchSize, DateTimeOffset now, DateTimeOffset leaseUntil, string claimToken, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var sql in new[] { ClaimRecovered, ClaimFresh })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter("lease", NpgsqlDbType.TimestampTz) { Value = leaseUntil.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = batchSize });
            command.Parameters.Add(new NpgsqlParameter("token", NpgsqlDbType.Text) { Value = claimToken });
            if (sql == ClaimRecovered)
            {
                command.Parameters.Add(new NpgsqlParameter("lost", NpgsqlDbType.Text) { Value = QueueTimes.LostAttempt });
            }

            batch.BatchCommands.Add(command);
        }

        // Both statements run in one implicit transaction: the claim is all or nothing.
        var claimed = new List<ClaimedPublication>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var recovered = true;
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                // An expired claim that no job took was never sent: it runs again as fresh.
                var previousOwner = reader.IsDBNull(1) ? null : reader.GetString(1);
                claimed.Add(new ClaimedPublication(new PublicationId(reader.GetGuid(0)), recovered && !ClaimTokens.NeverTaken(previousOwner)));
            }

            recovered = false;
        }
        while (await reader.NextResultAsync(cancellationToken));

        return claimed;
    }

    public async Task<DateTimeOffset?> NextWakeAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(NextWake);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        DateTimeOffset? due = reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0);
        DateTimeOffset? lease = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1);
        return QueueTimes.Earliest(due, lease);
    }

    public async Task<IReadOnlyList<PublicationId>> TakeOwnershipAsync(
        IReadOnlyCollection<PublicationId> ids, string claimToken, string runId, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(TakeOwnership);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids.Select(i => i.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("token", NpgsqlDbType.Text) { Value = claimToken });
        command.Parameters.Add(new NpgsqlParameter("run", NpgsqlDbType.Text) { Value = runId });
        command.Parameters.Add(new NpgsqlParameter("lease", NpgsqlDbType.TimestampTz) { Value = leaseUntil.ToUniversalTime() });
        var owned = new List<PublicationId>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            owned.Add(new PublicationId(reader.GetGuid(0)));
        }

        return owned;
    }
}

/// <summary>The queue's read query, for plans in the benchmark.</summary>
public static class PostgresPublicationQueuePlans
{
    public const string NextWake = PostgresPublicationQueue.NextWake;
}

internal static class QueueTimes
{
    /// <summary>The history row of an attempt whose worker stopped before it recorded an outcome.</summary>
    public const string LostAttempt =
        "The worker holding it stopped, froze or failed before it recorded an outcome (its lease expired). " +
        "If a send had started, the post is looked up before anything is sent again.";

    public static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
