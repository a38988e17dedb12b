using Herald.Workers;
using Npgsql;

namespace Herald.Storage.Queue;

/// <summary>
/// PostgreSQL's clock, read on this machine: the local wall clock plus the offset measured against
/// <c>clock_timestamp()</c>. Timestamps and timers stay on the local monotonic clock, so attempt budgets cannot be
/// stretched by a clock that jumps.
/// </summary>
/// <remarks>
/// The offset is the lower bound of what a round trip can tell: the database read its clock somewhere between the
/// query leaving and its answer arriving, so its time minus the arrival is never more than the true offset. This
/// clock is therefore never ahead of the database's — a publication held for its instant is never released early
/// by it — and behind by at most the round trip, which is why the tightest of several round trips is kept. The
/// midpoint (half the round trip taken off) would be nearer on average, but a round trip slowed on its way out
/// (a busy machine) put it milliseconds ahead, and held posts went out that early.
/// </remarks>
internal sealed class DatabaseClock(NpgsqlDataSource dataSource, TimeProvider local) : TimeProvider, IDatabaseClock
{
    /// <summary>Round trips per measurement; the tightest one is kept.</summary>
    internal const int Samples = 5;

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
        // Warm the connection first, so the measured round trips are queries, not a connection being opened.
        await command.ExecuteScalarAsync(cancellationToken);
        var samples = new List<ClockSample>(Samples);
        for (var i = 0; i < Samples; i++)
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
    /// The offset from the tightest round trip: the database's reading minus when its answer arrived, the most it can
    /// be ahead of this machine for certain (see the remarks on the class).
    /// </summary>
    internal static TimeSpan OffsetFrom(IReadOnlyCollection<ClockSample> samples)
    {
        var tightest = samples.MinBy(s => s.RoundTrip) ?? throw new ArgumentException("samples: give at least one round trip", nameof(samples));
        return tightest.Database - (tightest.SentAt + tightest.RoundTrip);
    }
}

/// <summary>One round trip: when it left by the local clock, how long it took, and what the database's clock read.</summary>
internal sealed record ClockSample(DateTimeOffset SentAt, TimeSpan RoundTrip, DateTimeOffset Database);
