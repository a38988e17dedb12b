using Herald.Publications;
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
        var totals = (await DueTimeCounts.ByDayAsync(db, first, end, zone, cancellationToken))
            .ToDictionary(day => day.Key, day => day.Value.Values.Sum());

        // The first publications of each day that has any, in one statement: a short read of the due-time index per day,
        // however many the day holds.
        IQueryable<Publication>? firstOfEachDay = null;
        foreach (var day in totals.Keys.Order())
        {
            var dayStart = ViewerZone.StartOf(day, zone);
            var dayEnd = ViewerZone.StartOf(day.AddDays(1), zone);
            var ofDay = db.Publications.AsNoTracking().Where(p => p.ScheduledAt >= dayStart && p.ScheduledAt < dayEnd)
                .OrderBy(p => p.ScheduledAt).ThenBy(p => p.Id).Take(perDay);
            firstOfEachDay = firstOfEachDay is null ? ofDay : firstOfEachDay.Concat(ofDay);
        }

        var shown = firstOfEachDay is null ? [] : await firstOfEachDay.Select(PublicationSummary.Columns).ToListAsync(cancellationToken);
        var rows = await PublicationRows.DescribeAsync(db, links, [.. shown.OrderBy(p => p.ScheduledAt)], cancellationToken);
        return new CalendarDays(
            first,
            end,
            rows.GroupBy(r => ViewerZone.Day(r.ScheduledAt, zone)).ToDictionary(g => g.Key, g => (IReadOnlyList<PublicationRow>)[.. g]),
            totals);
    }
}
