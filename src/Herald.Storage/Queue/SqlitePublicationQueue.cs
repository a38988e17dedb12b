using System.Globalization;
using Herald.Workers;
using Microsoft.Data.Sqlite;

namespace Herald.Storage.Queue;

/// <summary>
/// The dispatcher's queries on SQLite (their text is <see cref="SqliteQueueSql"/>). Embedded mode: one process, so
/// no row locks are needed; SQLite serialises writers. Times are UTC ticks, ids upper-case text, as EF Core stores
/// them.
/// </summary>
internal sealed class SqlitePublicationQueue(string connectionString) : IPublicationQueue
{
    public async Task<IReadOnlyList<ClaimedPublication>> ClaimDueAsync(
        int batchSize, DateTimeOffset now, TimeSpan holdAhead, DateTimeOffset leaseUntil, string claimToken, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = SqliteQueueSql.Claim;
        command.Parameters.AddWithValue("$now", now.UtcTicks);
        command.Parameters.AddWithValue("$due_by", (now + holdAhead).UtcTicks);
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
            var dueAt = new Dictionary<Guid, DateTimeOffset>();
            while (await reader.ReadAsync(cancellationToken))
            {
                dueAt[reader.GetGuid(0)] = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero);
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetGuid(0);
                claimed.Add(new ClaimedPublication(new PublicationId(id), Recovered: false, QueueTimes.Held(dueAt[id], now)));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    public async Task<DateTimeOffset?> NextWakeAsync(TimeSpan holdAhead, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SqliteQueueSql.NextWake;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return QueueTimes.Earliest(Ticks(reader, 0) - holdAhead, Ticks(reader, 1));
    }

    public async Task<int> ReleaseClaimAsync(string claimToken, DateTimeOffset leaseEndsAt, CancellationToken cancellationToken = default)
    {
        // One process on SQLite: its own dispatcher finds the rows at its next look, so there is no one to wake.
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SqliteQueueSql.ReleaseClaim;
        command.Parameters.AddWithValue("$ends", leaseEndsAt.UtcTicks);
        command.Parameters.AddWithValue("$token", claimToken);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PublicationId>> TakeOwnershipAsync(
        IReadOnlyCollection<PublicationId> ids,
        string claimToken,
        string runId,
        DateTimeOffset leaseUntil,
        DateTimeOffset? keepLeaseFrom = null,
        CancellationToken cancellationToken = default)
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
        command.CommandText = SqliteQueueSql.TakeOwnership(names);
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$token", claimToken);
        command.Parameters.AddWithValue("$lease", leaseUntil.UtcTicks);
        command.Parameters.AddWithValue("$keep_from", keepLeaseFrom is { } keep ? keep.UtcTicks : DBNull.Value);
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
