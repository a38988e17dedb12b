using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Herald.Publications;
using Herald.Storage;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Dashboard.Queries;

/// <summary>
/// How many publications are due on each day of a range in the viewer's time zone, by status, counted by the database.
/// The server works out where each of the viewer's days begins and ends (daylight-saving changes and old local mean
/// times included) and sends those ranges with the statement; the database reads the due-time index once per day and
/// returns a count per day and status. So the cost is one index range read with a few rows out, never every row of the
/// range sent to the server.
/// </summary>
internal static class DueTimeCounts
{
    /// <summary>The days from <paramref name="first"/> up to <paramref name="end"/> (exclusive) that have publications due.</summary>
    public static async Task<Dictionary<DateOnly, Dictionary<PublicationStatus, int>>> ByDayAsync(
        HeraldDbContext db, DateOnly first, DateOnly end, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var dayCount = end.DayNumber - first.DayNumber;
        var days = new Dictionary<DateOnly, Dictionary<PublicationStatus, int>>();
        if (dayCount <= 0)
        {
            return days;
        }

        foreach (var group in await DayRangeQuery(db, first, dayCount, zone).ToListAsync(cancellationToken))
        {
            var day = first.AddDays(group.Day);
            if (!days.TryGetValue(day, out var counts))
            {
                days[day] = counts = [];
            }

            var status = Enum.Parse<PublicationStatus>(group.Status);
            counts[status] = counts.GetValueOrDefault(status) + group.Count;
        }

        return days;
    }

    /// <summary>
    /// One statement for both databases: the days as a small table of (number, start, end), joined to the publications
    /// due in each. Each bound is a parameter in the database's own form for an instant (PostgreSQL: timestamptz; SQLite:
    /// UTC ticks, as <c>UtcTicksConverter</c> stores them), so the join reads the (scheduled_at, status) index. CROSS JOIN
    /// keeps the days as the outer loop on SQLite (whose planner does not reorder it); PostgreSQL plans it as any join.
    /// </summary>
    private static IQueryable<DayCount> DayRangeQuery(HeraldDbContext db, DateOnly first, int dayCount, TimeZoneInfo zone)
    {
        var postgres = db.Database.IsNpgsql();
        var sql = new StringBuilder("WITH days(day, day_start, day_end) AS (VALUES ");
        var arguments = new object[dayCount * 3];
        var start = ViewerZone.StartOf(first, zone);
        for (var i = 0; i < dayCount; i++)
        {
            var next = ViewerZone.StartOf(first.AddDays(i + 1), zone);
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"({{{3 * i}}}, {{{(3 * i) + 1}}}, {{{(3 * i) + 2}}})");
            arguments[3 * i] = i;
            arguments[(3 * i) + 1] = postgres ? start.ToUniversalTime() : start.UtcTicks;
            arguments[(3 * i) + 2] = postgres ? next.ToUniversalTime() : next.UtcTicks;
            start = next;
        }

        sql.Append("""
            )
            SELECT d.day AS "Day", p.status AS "Status", CAST(count(*) AS integer) AS "Count"
            FROM days d CROSS JOIN publications p WHERE p.scheduled_at >= d.day_start AND p.scheduled_at < d.day_end
            GROUP BY d.day, p.status
            """);
        return db.Database.SqlQuery<DayCount>(FormattableStringFactory.Create(sql.ToString(), arguments));
    }

    private sealed record DayCount(int Day, string Status, int Count);
}
