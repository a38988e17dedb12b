using Herald.Publications;
using Herald.Storage;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Dashboard.Queries;

/// <summary>
/// How many publications are due on each day of a range in the viewer's time zone, by status, counted by the database.
/// The database groups the rows by the quarter hour they are due in, and the quarter hours are then put on the
/// viewer's days: every zone's offset today is a whole number of quarter hours, so no quarter hour straddles two days.
/// Where a day of the range does not begin on a quarter hour (a zone's old local mean time), the rows are read instead.
/// So the cost is one index range read with a few thousand groups out, not every row in the range sent to the server.
/// </summary>
internal static class DueTimeCounts
{
    private const long QuarterHourSeconds = 15 * 60;

    /// <summary>The days from <paramref name="first"/> up to <paramref name="end"/> (exclusive) that have publications due.</summary>
    public static async Task<Dictionary<DateOnly, Dictionary<PublicationStatus, int>>> ByDayAsync(
        HeraldDbContext db, DateOnly first, DateOnly end, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var from = ViewerZone.StartOf(first, zone);
        var to = ViewerZone.StartOf(end, zone);
        var days = new Dictionary<DateOnly, Dictionary<PublicationStatus, int>>();
        if (DaysBeginOnQuarterHours(first, end, zone))
        {
            var postgres = db.Database.IsNpgsql();
            foreach (var group in await QuarterHoursAsync(db, postgres, from, to, cancellationToken))
            {
                // PostgreSQL numbers quarter hours from the Unix epoch, SQLite from tick 0 (never negative, so its integer
                // division rounds down as PostgreSQL's floor does, before 1970 too).
                var at = postgres
                    ? DateTimeOffset.FromUnixTimeSeconds(group.Quarter * QuarterHourSeconds)
                    : new DateTimeOffset(group.Quarter * QuarterHourSeconds * TimeSpan.TicksPerSecond, TimeSpan.Zero);
                Add(days, ViewerZone.Day(at, zone), Enum.Parse<PublicationStatus>(group.Status), group.Count);
            }
        }
        else
        {
            var rows = await db.Publications.AsNoTracking().Where(p => p.ScheduledAt >= from && p.ScheduledAt < to)
                .Select(p => new { p.ScheduledAt, p.Status }).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                Add(days, ViewerZone.Day(row.ScheduledAt, zone), row.Status, 1);
            }
        }

        return days;
    }

    /// <summary>Whether every day boundary from <paramref name="first"/> to <paramref name="end"/> falls on a quarter hour.</summary>
    internal static bool DaysBeginOnQuarterHours(DateOnly first, DateOnly end, TimeZoneInfo zone)
    {
        for (var day = first; day <= end; day = day.AddDays(1))
        {
            if (ViewerZone.StartOf(day, zone).ToUnixTimeMilliseconds() % (QuarterHourSeconds * 1000) != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static void Add(Dictionary<DateOnly, Dictionary<PublicationStatus, int>> days, DateOnly day, PublicationStatus status, int count)
    {
        if (!days.TryGetValue(day, out var counts))
        {
            days[day] = counts = [];
        }

        counts[status] = counts.GetValueOrDefault(status) + count;
    }

    /// <summary>The rows due in [from, to), grouped by quarter hour and status.</summary>
    private static Task<List<QuarterCount>> QuarterHoursAsync(
        HeraldDbContext db, bool postgres, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // The same statement for both databases, apart from how each stores an instant: PostgreSQL as timestamptz,
        // SQLite as UTC ticks (UtcTicksConverter). date_part, not extract: extract answers in numeric, whose division
        // costs far more per row than date_part's double precision (exact for whole seconds, and off by well under a
        // microsecond otherwise, which moves no instant across a quarter hour unless it is that close to one).
        var query = postgres
            ? db.Database.SqlQuery<QuarterCount>($"""
                SELECT floor(date_part('epoch', scheduled_at) / {QuarterHourSeconds})::bigint AS "Quarter", status AS "Status", count(*)::int AS "Count"
                FROM publications WHERE scheduled_at >= {from.ToUniversalTime()} AND scheduled_at < {to.ToUniversalTime()}
                GROUP BY 1, 2
                """)
            : db.Database.SqlQuery<QuarterCount>($"""
                SELECT scheduled_at / {QuarterHourSeconds * TimeSpan.TicksPerSecond} AS "Quarter", status AS "Status", count(*) AS "Count"
                FROM publications WHERE scheduled_at >= {from.UtcTicks} AND scheduled_at < {to.UtcTicks}
                GROUP BY 1, 2
                """);
        return query.ToListAsync(cancellationToken);
    }

    private sealed record QuarterCount(long Quarter, string Status, int Count);
}
