using Herald.Publications;
using Herald.Server.Publications;
using Herald.Storage;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Dashboard.Queries;

/// <summary>A publication as the dashboard's lists show it: with its content's title and its account's name.</summary>
public sealed record PublicationRow(
    PublicationId Id, string Title, string Platform, string AccountName, PublicationStatus Status, DateTimeOffset ScheduledAt,
    DateTimeOffset UpdatedAt, string? LastError, Uri? Url);

/// <summary>Publications of one day, by status.</summary>
public sealed record DayCounts(DateOnly Day, IReadOnlyDictionary<PublicationStatus, int> Counts)
{
    public int Total => Counts.Values.Sum();
}

/// <summary>What the overview shows: counts by status, what is due next, what needs a person, and the last 30 days.</summary>
public sealed record OverviewData(
    IReadOnlyDictionary<PublicationStatus, int> Counts,
    IReadOnlyList<PublicationRow> DueNext,
    IReadOnlyList<PublicationRow> NeedsAttention,
    IReadOnlyList<DayCounts> LastDays);

/// <summary>The overview's numbers, read from Herald's tables (no copy of any count is kept).</summary>
public sealed class OverviewQuery(HeraldDbContext db, IServiceScopeFactory scopes, PostLinks links, TimeProvider clock)
{
    public const int Days = 30;

    public const int ListSize = 10;

    /// <summary>The statuses that wait for a person.</summary>
    public static readonly PublicationStatus[] AttentionStatuses =
        [PublicationStatus.Failed, PublicationStatus.NeedsReview, PublicationStatus.AwaitingManualAction];

    public async Task<OverviewData> LoadAsync(TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var today = ViewerZone.Day(clock.GetUtcNow(), zone);
        var first = today.AddDays(1 - Days);
        // The two counts read many index entries each (every publication, and every one of the last 30 days), so each
        // runs on a connection of its own, beside the short reads of the lists.
        var counts = InScopeOfItsOwnAsync(async other => (await other.Publications.AsNoTracking().GroupBy(p => p.Status)
                .Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
            .ToDictionary(x => x.Status, x => x.Count));
        var byDay = InScopeOfItsOwnAsync(other => DueTimeCounts.ByDayAsync(other, first, today.AddDays(1), zone, cancellationToken));
        var lists = ListsAsync(cancellationToken);
        await Task.WhenAll(counts, byDay, lists);

        var days = Enumerable.Range(0, Days).Select(i => first.AddDays(i))
            .Select(d => new DayCounts(d, byDay.Result.TryGetValue(d, out var c) ? c : new Dictionary<PublicationStatus, int>()))
            .ToList();
        return new OverviewData(counts.Result, lists.Result.DueNext, lists.Result.NeedsAttention, days);
    }

    private async Task<(IReadOnlyList<PublicationRow> DueNext, IReadOnlyList<PublicationRow> NeedsAttention)> ListsAsync(CancellationToken cancellationToken)
    {
        var waiting = new[] { PublicationStatus.Scheduled, PublicationStatus.RetryScheduled };
        // By the instant each is next tried (a retry's, not its first schedule's): the queue's own due index.
        var dueNext = await db.Publications.AsNoTracking().Where(p => waiting.Contains(p.Status))
            .OrderBy(p => p.NextAttemptAt).Take(ListSize).Select(PublicationSummary.Columns).ToListAsync(cancellationToken);
        // The newest of each status that waits for a person, read down the (status, updated_at) index and merged here:
        // one statement, a few index entries each, however many newer rows of other statuses there are.
        var attention = (await AttentionStatuses
                .Select(status => db.Publications.AsNoTracking().Where(p => p.Status == status).OrderByDescending(p => p.UpdatedAt).Take(ListSize))
                .Aggregate(Queryable.Concat).Select(PublicationSummary.Columns).ToListAsync(cancellationToken))
            .OrderByDescending(p => p.UpdatedAt).Take(ListSize).ToList();

        var rows = await PublicationRows.DescribeAsync(db, links, [.. dueNext, .. attention], cancellationToken);
        // Due next is in the order of each one's next try, so its Due column shows that time (a retry's, not its first schedule's).
        var due = rows[..dueNext.Count].Select((row, i) => row with { ScheduledAt = dueNext[i].NextAttemptAt ?? row.ScheduledAt }).ToList();
        return (due, rows[dueNext.Count..]);
    }

    /// <summary>Runs <paramref name="read"/> with a context (and so a connection) of its own.</summary>
    private async Task<T> InScopeOfItsOwnAsync<T>(Func<HeraldDbContext, Task<T>> read)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<HeraldDbContext>());
    }
}

/// <summary>Adds titles and account names to publications, in two small queries (never an account's credentials).</summary>
public static class PublicationRows
{
    public static async Task<PublicationRow[]> DescribeAsync(HeraldDbContext db, PostLinks links, IReadOnlyList<PublicationSummary> publications, CancellationToken cancellationToken)
    {
        await links.RefreshAsync(db, cancellationToken);
        var contentIds = publications.Select(p => p.ContentId).Distinct().ToList();
        var accountIds = publications.Select(p => p.AccountId).Distinct().ToList();
        var titles = await db.Contents.AsNoTracking().Where(c => contentIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Title }).ToDictionaryAsync(c => c.Id, c => c.Title, cancellationToken);
        var names = await AccountNamesAsync(db, accountIds, cancellationToken);
        return [.. publications.Select(p => new PublicationRow(
            p.Id, titles.GetValueOrDefault(p.ContentId) ?? "(untitled)", p.Platform, names.GetValueOrDefault(p.AccountId) ?? p.AccountId.ToString(),
            p.Status, p.ScheduledAt, p.UpdatedAt, p.LastError, links.Of(p)))];
    }

    /// <summary>Account names by id: the id, platform and display name columns only.</summary>
    public static async Task<Dictionary<AccountId, string>> AccountNamesAsync(HeraldDbContext db, IReadOnlyList<AccountId>? ids, CancellationToken cancellationToken)
    {
        var accounts = db.Accounts.AsNoTracking();
        if (ids is not null)
        {
            accounts = accounts.Where(a => ids.Contains(a.Id));
        }

        return await accounts.Select(a => new { a.Id, a.DisplayName }).ToDictionaryAsync(a => a.Id, a => a.DisplayName, cancellationToken);
    }
}
