using Herald.Workers;
using Npgsql;
using NpgsqlTypes;

namespace Herald.Storage.Queue;

/// <summary>
/// The dispatcher's queries on PostgreSQL (their text is <see cref="PostgresQueueSql"/>). A claim is one round
/// trip and one transaction: <c>FOR UPDATE SKIP LOCKED</c> lets several processes claim at once without waiting on
/// each other or claiming a row twice. Every query walks a partial index from its front (see <c>ix_publications_due</c>,
/// <c>ix_publications_lease</c>), so none grows with the number of future publications.
/// </summary>
internal sealed class PostgresPublicationQueue(NpgsqlDataSource dataSource) : IPublicationQueue
{
    public async Task<IReadOnlyList<ClaimedPublication>> ClaimDueAsync(
        int batchSize, DateTimeOffset now, TimeSpan holdAhead, DateTimeOffset leaseUntil, string claimToken, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var (sql, recovering) in new[] { (PostgresQueueSql.ClaimRecovered, true), (PostgresQueueSql.ClaimFresh, false) })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter("lease", NpgsqlDbType.TimestampTz) { Value = leaseUntil.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = batchSize });
            command.Parameters.Add(new NpgsqlParameter("token", NpgsqlDbType.Text) { Value = claimToken });
            if (recovering)
            {
                command.Parameters.Add(new NpgsqlParameter("lost", NpgsqlDbType.Text) { Value = QueueTimes.LostAttempt });
            }
            else
            {
                command.Parameters.Add(new NpgsqlParameter("due_by", NpgsqlDbType.TimestampTz) { Value = (now + holdAhead).ToUniversalTime() });
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
                var dueAt = recovered ? (DateTimeOffset?)null : QueueTimes.Held(reader.GetFieldValue<DateTimeOffset>(2), now);
                claimed.Add(new ClaimedPublication(new PublicationId(reader.GetGuid(0)), recovered && !ClaimTokens.NeverTaken(previousOwner), dueAt));
            }

            recovered = false;
        }
        while (await reader.NextResultAsync(cancellationToken));

        return claimed;
    }

    public async Task<DateTimeOffset?> NextWakeAsync(TimeSpan holdAhead, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(QueueSql.NextWake);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        DateTimeOffset? due = reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0);
        DateTimeOffset? lease = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1);
        return QueueTimes.Earliest(due - holdAhead, lease);
    }

    public async Task<int> ReleaseClaimAsync(string claimToken, DateTimeOffset leaseEndsAt, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(PostgresQueueSql.ReleaseClaim);
        command.Parameters.Add(new NpgsqlParameter("ends", NpgsqlDbType.TimestampTz) { Value = leaseEndsAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter("token", NpgsqlDbType.Text) { Value = claimToken });
        command.Parameters.Add(new NpgsqlParameter("channel", NpgsqlDbType.Text) { Value = PostgresDueChannel.Channel });
        command.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Text) { Value = PostgresDueChannel.Payload(leaseEndsAt) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetInt32(0);
    }

    public async Task<IReadOnlyList<PublicationId>> TakeOwnershipAsync(
        IReadOnlyCollection<PublicationId> ids,
        string claimToken,
        string runId,
        DateTimeOffset leaseUntil,
        DateTimeOffset? keepLeaseFrom = null,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(PostgresQueueSql.TakeOwnership);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids.Select(i => i.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("token", NpgsqlDbType.Text) { Value = claimToken });
        command.Parameters.Add(new NpgsqlParameter("run", NpgsqlDbType.Text) { Value = runId });
        command.Parameters.Add(new NpgsqlParameter("lease", NpgsqlDbType.TimestampTz) { Value = leaseUntil.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter("keep_from", NpgsqlDbType.TimestampTz) { Value = keepLeaseFrom is { } keep ? keep.ToUniversalTime() : DBNull.Value });
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
    public static string NextWake => QueueSql.NextWake;
}

internal static class QueueTimes
{
    /// <summary>The history row of an attempt whose worker stopped before it recorded an outcome.</summary>
    public const string LostAttempt =
        "The worker holding it stopped, froze or failed before it recorded an outcome (its lease expired). " +
        "If a send had started, the post is looked up before anything is sent again.";

    public static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>The due instant of a row claimed ahead of it (held), or null when it was due by the claim.</summary>
    public static DateTimeOffset? Held(DateTimeOffset dueAt, DateTimeOffset now) => dueAt > now ? dueAt : null;
}
