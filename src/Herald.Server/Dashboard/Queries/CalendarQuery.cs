using Herald.Storage;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Dashboard.Queries;

/// <summary>A month of publications by the day (UTC) they are due, and how many each day holds in all.</summary>
public sealed record CalendarMonth(DateOnly First, IReadOnlyDictionary<DateOnly, IReadOnlyList<PublicationRow>> Shown, IReadOnlyDictionary<DateOnly, int> Totals);

/// <summary>The calendar's month: publications due in it, at most <see cref="PerDay"/> shown per day (the rest counted).</summary>
public sealed class CalendarQuery(HeraldDbContext db)
{
    public const int PerDay = 5;

    public async Task<CalendarMonth> LoadAsync(DateOnly month, CancellationToken cancellationToken)
    {
        var first = new DateOnly(month.Year, month.Month, 1);
        var from = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = from.AddMonths(1);
        var inMonth = db.Publications.AsNoTracking().Where(p => p.ScheduledAt >= from && p.ScheduledAt < to);
        var due = await inMonth.Select(p => new { p.Id, p.ScheduledAt }).ToListAsync(cancellationToken);
        var byDay = due.GroupBy(p => DateOnly.FromDateTime(p.ScheduledAt.UtcDateTime)).ToList();
        var shownIds = byDay.SelectMany(g => g.OrderBy(p => p.ScheduledAt).Take(PerDay)).Select(p => p.Id).ToList();
        var shown = await db.Publications.AsNoTracking().Where(p => shownIds.Contains(p.Id)).ToListAsync(cancellationToken);
        var rows = await PublicationRows.DescribeAsync(db, [.. shown.OrderBy(p => p.ScheduledAt)], cancellationToken);
        return new CalendarMonth(
            first,
            rows.GroupBy(r => DateOnly.FromDateTime(r.ScheduledAt.UtcDateTime)).ToDictionary(g => g.Key, g => (IReadOnlyList<PublicationRow>)[.. g]),
            byDay.ToDictionary(g => g.Key, g => g.Count()));
    }
}
