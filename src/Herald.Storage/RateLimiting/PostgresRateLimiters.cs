using System.Collections.Concurrent;
using System.Data.Common;
using System.Threading.RateLimiting;
using Herald.Workers.RateLimiting;
using Npgsql;
using NpgsqlTypes;

namespace Herald.Storage.RateLimiting;

/// <summary>
/// Rate limiters whose state every process shares (distributed mode): slots and parks live in
/// <c>rate_limit_slots</c> / <c>rate_limit_parks</c>, and each acquire is one short transaction under
/// <c>pg_advisory_xact_lock(hashtext(key))</c>, so three workers together never exceed one account's limit.
/// </summary>
internal sealed class PostgresPublishRateLimiters(
    NpgsqlDataSource dataSource,
    RateLimitPolicies policies,
    TimeProvider timeProvider,
    PostgresRateLimitHold hold) : IPublishRateLimiters
{
    private readonly ConcurrentDictionary<string, PublishRateLimiter> _limiters = new(StringComparer.Ordinal);

    public PublishRateLimiter? For(string platform, AccountId account)
    {
        if (policies.For(platform) is not { } rule)
        {
            return null;
        }

        return _limiters.GetOrAdd(RateLimitState.Key(platform, account), key => new PostgresRateLimiter(dataSource, key, rule, hold.MaxHold, timeProvider));
    }
}

/// <summary>How long a slot may be held before it counts as completed (a worker that died mid-request).</summary>
public sealed record PostgresRateLimitHold(TimeSpan MaxHold);

internal sealed class PostgresRateLimiter(
    NpgsqlDataSource dataSource, string key, RateLimitRule rule, TimeSpan maxHold, TimeProvider timeProvider) : PublishRateLimiter
{
    private const string Prepare = """
        SELECT pg_advisory_xact_lock(hashtext(@key));
        DELETE FROM rate_limit_slots WHERE key = @key AND coalesce(completed_at, hold_until) <= @since
        """;

    // One slot per request the attempt will make (a thread's parts), all or none.
    private const string Take = """
        INSERT INTO rate_limit_slots (id, key, acquired_at, completed_at, hold_until)
        SELECT CASE WHEN n = 1 THEN @id ELSE gen_random_uuid() END, @key, @now, NULL, @hold
        FROM generate_series(1, @count) AS n
        WHERE (SELECT count(*) FROM rate_limit_slots WHERE key = @key) + @count <= @permits
          AND NOT EXISTS (SELECT 1 FROM rate_limit_parks WHERE key = @key AND parked_until > @now)
        RETURNING id
        """;

    // Completed slots free oldest first: the wait is until as many have freed as the request is missing (null when
    // too few have completed, the rest being still in flight).
    private const string WhenFree = """
        SELECT (SELECT parked_until FROM rate_limit_parks WHERE key = @key AND parked_until > @now),
               (SELECT completed_at FROM rate_limit_slots WHERE key = @key AND completed_at IS NOT NULL ORDER BY completed_at
                OFFSET greatest(0, (SELECT count(*) FROM rate_limit_slots WHERE key = @key) + @count - @permits - 1) LIMIT 1)
        """;

    private const string Park = """
        INSERT INTO rate_limit_parks (key, parked_until) VALUES (@key, @until)
        ON CONFLICT (key) DO UPDATE SET parked_until = greatest(rate_limit_parks.parked_until, excluded.parked_until)
        """;

    public override TimeSpan? IdleDuration => null;

    public override RateLimiterStatistics? GetStatistics() => null;

    public override async ValueTask ParkAsync(DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(Park);
        command.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = key });
        command.Parameters.Add(new NpgsqlParameter("until", NpgsqlDbType.TimestampTz) { Value = until.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        throw new NotSupportedException("The shared rate limiter asks PostgreSQL; call AcquireAsync.");

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitCount, 1);
        // A thread of more parts than the window allows takes the whole window: it still goes out, one part a request.
        var count = Math.Min(permitCount, rule.Permits);
        var now = timeProvider.GetUtcNow().ToUniversalTime();
        var id = Guid.NewGuid();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One short transaction; the advisory lock on the key is held until it commits.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Command(connection, Prepare, now, id).ExecuteNonQueryAsync(cancellationToken);
        var take = Command(connection, Take, now, id);
        take.Parameters.Add(new NpgsqlParameter("count", NpgsqlDbType.Integer) { Value = count });
        var ids = new List<Guid>(count);
        await using (var taken = await take.ExecuteReaderAsync(cancellationToken))
        {
            while (await taken.ReadAsync(cancellationToken))
            {
                ids.Add(taken.GetGuid(0));
            }
        }

        RateLimitLease lease;
        if (ids.Count > 0)
        {
            lease = new Granted(this, [.. ids]);
        }
        else
        {
            var whenFree = Command(connection, WhenFree, now, id);
            whenFree.Parameters.Add(new NpgsqlParameter("count", NpgsqlDbType.Integer) { Value = count });
            await using var reader = await whenFree.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            lease = !reader.IsDBNull(0)
                ? Denied(reader.GetFieldValue<DateTimeOffset>(0) - now)
                : Denied(reader.IsDBNull(1) ? rule.Window : reader.GetFieldValue<DateTimeOffset>(1) + rule.Window - now);
        }

        await transaction.CommitAsync(cancellationToken);
        return lease;
    }

    private NpgsqlCommand Command(NpgsqlConnection connection, string sql, DateTimeOffset now, Guid id)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = key });
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
        command.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = now - rule.Window });
        command.Parameters.Add(new NpgsqlParameter("hold", NpgsqlDbType.TimestampTz) { Value = now + maxHold });
        command.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = id });
        command.Parameters.Add(new NpgsqlParameter("permits", NpgsqlDbType.Integer) { Value = rule.Permits });
        return command;
    }

    /// <summary>Frees the slots <paramref name="ids"/>: counted from <paramref name="completedAt"/> when used, else deleted.</summary>
    private async Task FreeAsync(Guid[] ids, DateTimeOffset completedAt, bool used)
    {
        try
        {
            await using var command = dataSource.CreateCommand(used
                ? "UPDATE rate_limit_slots SET completed_at = @at WHERE id = ANY(@ids)"
                : "DELETE FROM rate_limit_slots WHERE id = ANY(@ids)");
            if (used)
            {
                command.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.TimestampTz) { Value = completedAt.ToUniversalTime() });
            }

            command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids });
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbException or ObjectDisposedException or InvalidOperationException)
        {
            // Not fatal (a lost connection, a data source disposed at shutdown): an unreleased slot counts as
            // completed at its hold_until, which is later — the limit only gets stricter.
        }
    }

    // Completion time is taken now; the write may land a moment later, which only makes the limit stricter.
    private sealed class Granted(PostgresRateLimiter limiter, Guid[] ids) : ReturnableLease
    {
        protected override void Free(bool used) => _ = limiter.FreeAsync(ids, limiter.Now(), used);
    }

    private DateTimeOffset Now() => timeProvider.GetUtcNow();
}
