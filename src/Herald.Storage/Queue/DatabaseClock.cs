using Herald.Workers;
using Npgsql;

namespace Herald.Storage.Queue;

/// <summary>
/// PostgreSQL's clock, read on this machine: the local wall clock plus the offset measured against
/// <c>clock_timestamp()</c> (half the round trip taken off). Timestamps and timers stay on the local monotonic clock,
/// so attempt budgets cannot be stretched by a clock that jumps.
/// </summary>
internal sealed class DatabaseClock(NpgsqlDataSource dataSource, TimeProvider local) : TimeProvider, IDatabaseClock
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Volatile.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => local.GetUtcNow() + Offset;

    public override long GetTimestamp() => local.GetTimestamp();

    public override long TimestampFrequency => local.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => local.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        local.CreateTimer(callback, state, dueTime, period);

    public async Task<TimeSpan> SyncAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT clock_timestamp()");
        // Warm the connection first, so the measured round trip is a query, not a connection being opened.
        await command.ExecuteScalarAsync(cancellationToken);
        var before = local.GetTimestamp();
        var sentAt = local.GetUtcNow();
        var database = (DateTime)(await command.ExecuteScalarAsync(cancellationToken))!;
        var roundTrip = local.GetElapsedTime(before);
        var offset = new DateTimeOffset(DateTime.SpecifyKind(database, DateTimeKind.Utc)) - (sentAt + roundTrip / 2);
        Volatile.Write(ref _offsetTicks, offset.Ticks);
        return offset;
    }
}
