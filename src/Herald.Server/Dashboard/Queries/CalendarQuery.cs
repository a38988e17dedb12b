using Herald.Server.Publications;
using Herald.Storage;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Dashboard.Queries;

/// <summary>
/// Days from <see cref="First"/> up to <see cref="End"/> (exclusive) in the viewer's zone: the publications due on each,
/// at most the view's number per day shown (in due order), and how many each day holds in all.
/// </summary>
public sealed record CalendarDays(
    DateOnly First, DateOnly End, IReadOnlyDictionary<DateOnly, IReadOnlyList<PublicationRow>> Shown, IReadOnlyDictionary<DateOnly, int> Totals);

/// <summary>The calendar's month and week views: publications by the day they are due in the viewer's time zone.</summary>
public sealed class CalendarQuery(HeraldDbContext db, PostLinks links)
{
    /// <summary>How many publications a day shows in the month view (the rest are counted, with a link to the table).</summary>
    public const int PerDayInMonth = 5;

    /// <summary>How many publications a day shows in the week view.</summary>
    public const int PerDayInWeek = 50;

    public Task<CalendarDays> MonthAsync(DateOnly month, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var first = new DateOnly(month.Year, month.Month, 1);
        return LoadAsync(first, first.AddMonths(1), PerDayInMonth, zone, cancellationToken);
    }

    public Task<CalendarDays> WeekAsync(DateOnly monday, TimeZoneInfo zone, CancellationToken cancellationToken) =>
        LoadAsync(monday, monday.AddDays(7), PerDayInWeek, zone, cancellationToken);

    private async Task<CalendarDays> LoadAsync(DateOnly first, DateOnly end, int perDay, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var from = ViewerZone.StartOf(first, zone);
        var to = ViewerZone.StartOf(end, zone);
        var due = await db.Publications.AsNoTracking().Where(p => p.ScheduledAt >= from && p.ScheduledAt < to)
            .Select(p => new { p.Id, p.ScheduledAt }).ToListAsync(cancellationToken);
        var byDay = due.GroupBy(p => ViewerZone.Day(p.ScheduledAt, zone)).ToList();
        var shownIds = byDay.SelectMany(g => g.OrderBy(p => p.ScheduledAt).Take(perDay)).Select(p => p.Id).ToList();
        var shown = await db.Publications.AsNoTracking().Where(p => shownIds.Contains(p.Id)).ToListAsync(cancellationToken);
        var rows = await PublicationRows.DescribeAsync(db, links, [.. shown.OrderBy(p => p.ScheduledAt)], cancellationToken);
        return new CalendarDays(
            first,
            end,
            rows.GroupBy(r => ViewerZone.Day(r.ScheduledAt, zone)).ToDictionary(g => g.Key, g => (IReadOnlyList<PublicationRow>)[.. g]),
            byDay.ToDictionary(g => g.Key, g => g.Count()));
    }
}
