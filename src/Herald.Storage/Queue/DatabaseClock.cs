using Herald.Workers;
using Npgsql;

namespace Herald.Storage.Queue;

/// <summary>
/// PostgreSQL's clock, read on this machine: the local wall clock plus the offset measured against
/// <c>clock_timestamp()</c>. Timestamps and timers stay on the local monotonic clock, so attempt budgets cannot be
/// stretched by a clock that jumps.
/// </summary>
/// <remarks>
/// The offset is a lower bound: the database read its clock somewhere between the query leaving and its answer
/// arriving, so its reading minus the arrival is never more than the true offset. Of five round trips on one
/// connection, the largest such bound is kept (the nearest to the truth; it stops early once a round trip takes under
/// a millisecond). As measured, this clock is therefore never ahead of the database's — a publication held for its
/// instant is not released early by it — and behind by at most a round trip. Between measurements (every minute) the
/// machine's clock may drift from the database's by its rate error, a few milliseconds a minute at worst with time
/// synchronisation running. The midpoint (half the round trip taken off) was nearer on average, but a round trip
/// slowed on its way out (a busy machine) put it milliseconds ahead, and held posts went out that early.
/// </remarks>
internal sealed class DatabaseClock(NpgsqlDataSource dataSource, TimeProvider local) : TimeProvider, IDatabaseClock
{
    /// <summary>Round trips per measurement at most.</summary>
    private const int Samples = 5;

    /// <summary>A round trip this quick bounds the offset within itself: no need for more.</summary>
    private static readonly TimeSpan CloseEnough = TimeSpan.FromMilliseconds(1);

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
        // One connection for every sample, warmed first: each round trip is a query, never a connection being opened.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT clock_timestamp()", connection);
        await command.ExecuteScalarAsync(cancellationToken);
        var samples = new List<ClockSample>(Samples);
        while (samples.Count < Samples && (samples.Count == 0 || samples[^1].RoundTrip >= CloseEnough))
        {
            var before = local.GetTimestamp();
            var sentAt = local.GetUtcNow();
            var database = (DateTime)(await command.ExecuteScalarAsync(cancellationToken))!;
            samples.Add(new ClockSample(sentAt, local.GetElapsedTime(before), new DateTimeOffset(DateTime.SpecifyKind(database, DateTimeKind.Utc))));
        }

        var offset = OffsetFrom(samples);
        Volatile.Write(ref _offsetTicks, offset.Ticks);
        return offset;
    }

    /// <summary>
    /// The largest of the samples' lower bounds (the database's reading minus when its answer arrived): each is the
    /// most the database can be ahead of this machine for certain, so the largest is both safe and the nearest.
    /// </summary>
    internal static TimeSpan OffsetFrom(IReadOnlyCollection<ClockSample> samples) =>
        samples.Count == 0
            ? throw new ArgumentException("samples: give at least one round trip", nameof(samples))
            : samples.Max(s => s.Database - (s.SentAt + s.RoundTrip));
}

/// <summary>One round trip: when it left by the local clock, how long it took, and what the database's clock read.</summary>
internal sealed record ClockSample(DateTimeOffset SentAt, TimeSpan RoundTrip, DateTimeOffset Database);
