using System.Globalization;
using Herald.Scheduling;
using Microsoft.Data.Sqlite;

namespace Herald.Storage.Queue;

/// <summary>
/// The dispatcher's queries on SQLite (embedded mode: one process, so no row locks are needed; SQLite
/// serialises writers). Times are UTC ticks, ids upper-case text, as EF Core stores them.
/// </summary>
internal sealed class SqlitePublicationQueue(string connectionString) : IPublicationQueue
{
    // An expired lease that a job's run held (not a claim token no job took) is an attempt that ended without an
    // outcome: its history row is written and the attempt counted (attempt_count; recovery_count if its send had
    // started) in the claim's
    // own transaction, so no later step can repeat an attempt number. 'claim-' is ClaimTokens' prefix.
    private const string Claim = """
        SELECT id, lease_owner FROM publications
        WHERE status = 'Publishing' AND lease_expires_at < $now
        ORDER BY lease_expires_at LIMIT $limit;
        INSERT OR IGNORE INTO attempts (publication_id, number, started_at, ended_at, outcome, error)
        SELECT id, attempt_count, min(updated_at, lease_expires_at), lease_expires_at, 'Unknown', $lost FROM publications
        WHERE id IN (SELECT id FROM publications
                     WHERE status = 'Publishing' AND lease_expires_at < $now
                     ORDER BY lease_expires_at LIMIT $limit)
          AND lease_owner NOT LIKE 'claim-%' AND attempt_count > 0;
        UPDATE publications
        SET lease_owner = $token, lease_expires_at = $lease, version = version + 1, updated_at = $now,
            attempt_count = attempt_count + CASE WHEN lease_owner LIKE 'claim-%' THEN 0 ELSE 1 END,
            recovery_count = recovery_count + CASE WHEN lease_owner LIKE 'claim-%' OR uncertain_since IS NULL THEN 0 ELSE 1 END
        WHERE id IN (SELECT id FROM publications
                     WHERE status = 'Publishing' AND lease_expires_at < $now
                     ORDER BY lease_expires_at LIMIT $limit)
        RETURNING id;
        UPDATE publications
        SET status = 'Publishing', attempt_count = attempt_count + 1, lease_owner = $token,
            lease_expires_at = $lease, next_attempt_at = NULL, version = version + 1, updated_at = $now
        WHERE id IN (SELECT id FROM publications
                     WHERE status IN ('Scheduled', 'RetryScheduled') AND next_attempt_at <= $now
                     ORDER BY next_attempt_at LIMIT $limit)
        RETURNING id;
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

    public async Task<IReadOnlyList<ClaimedPublication>> ClaimDueAsync(
        int batchSize, DateTimeOffset now, DateTimeOffset leaseUntil, string claimToken, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Claim;
        command.Parameters.AddWithValue("$now", now.UtcTicks);
        command.Parameters.AddWithValue("$lease", leaseUntil.UtcTicks);
        command.Parameters.AddWithValue("$limit", batchSize);
        command.Parameters.AddWithValue("$token", claimToken);
        command.Parameters.AddWithValue("$lost", QueueTimes.LostAttempt);
        var claimed = new List<ClaimedPublication>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            // First the expired leases with their owners (one writer: the UPDATE below takes exactly these rows).
            var previousOwners = new Dictionary<Guid, string?>();
            while (await reader.ReadAsync(cancellationToken))
            {
                previousOwners[reader.GetGuid(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // An expired claim that no job took was never sent: it runs again as fresh.
                var id = reader.GetGuid(0);
                claimed.Add(new ClaimedPublication(new PublicationId(id), !ClaimTokens.NeverTaken(previousOwners.GetValueOrDefault(id))));
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(new ClaimedPublication(new PublicationId(reader.GetGuid(0)), Recovered: false));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    public async Task<DateTimeOffset?> NextWakeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = NextWake;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return QueueTimes.Earliest(Ticks(reader, 0), Ticks(reader, 1));
    }

    public async Task<IReadOnlyList<PublicationId>> TakeOwnershipAsync(
        IReadOnlyCollection<PublicationId> ids, string claimToken, string runId, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var names = ids.Select((id, i) =>
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"$id{i}");
            command.Parameters.AddWithValue(name, Text(id));
            return name;
        }).ToList();
        command.CommandText = $"""
            UPDATE publications
            SET lease_owner = $run, lease_expires_at = $lease, version = version + 1
            WHERE id IN ({string.Join(", ", names)}) AND lease_owner = $token AND status = 'Publishing'
            RETURNING id
            """;
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$token", claimToken);
        command.Parameters.AddWithValue("$lease", leaseUntil.UtcTicks);
        var owned = new List<PublicationId>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            owned.Add(new PublicationId(reader.GetGuid(0)));
        }

        return owned;
    }

    /// <summary>EF Core's SQLite form of a Guid: upper-case, dashed text.</summary>
    private static string Text(PublicationId id) => id.Value.ToString("D").ToUpperInvariant();

    private static DateTimeOffset? Ticks(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTimeOffset(reader.GetInt64(ordinal), TimeSpan.Zero);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
