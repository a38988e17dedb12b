using Herald.Platforms;
using Herald.Publications;
using Herald.Storage;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Publications;

/// <summary>What a list of publications is narrowed to; every value is optional and read as the API reads it.</summary>
internal sealed record PublicationFilter(
    string? Status = null,
    string? Platform = null,
    string? Account = null,
    string? Content = null,
    DateTimeOffset? DueFrom = null,
    DateTimeOffset? DueTo = null,
    string? Title = null,
    int? Limit = null,
    string? Cursor = null);

/// <summary>A page of publications (newest first by creation), the cursor of the next page, or the filter's problems.</summary>
internal sealed record PublicationQueryResult(
    IReadOnlyList<(string Field, string Message)> Problems,
    IReadOnlyList<PublicationSummary> Items,
    string? NextCursor);

/// <summary>
/// The one place that lists publications with filters and keyset paging: the REST API (<c>GET /api/v1/publications</c>)
/// and the dashboard's publications page both call it, so both read filters, refuse bad ones and page the same way.
/// </summary>
internal static class PublicationQuery
{
    public const int DefaultPageSize = 50;

    public const int MaxPageSize = 200;

    private const string LikeEscape = "\\";

    public static async Task<PublicationQueryResult> ListAsync(
        HeraldDbContext db, PlatformRegistry registry, PublicationFilter filter, CancellationToken cancellationToken)
    {
        var problems = new List<(string, string)>();
        var query = Filter(db, registry, filter, problems);
        var size = filter.Limit ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            problems.Add(("limit", $"must be between 1 and {MaxPageSize}"));
        }

        PublicationCursor? after = null;
        if (filter.Cursor is not null && !PublicationCursor.TryDecode(filter.Cursor, out after))
        {
            problems.Add(("cursor", "is not a cursor this API gave out; start again without it"));
        }

        if (problems.Count > 0)
        {
            return new PublicationQueryResult(problems, [], null);
        }

        if (after is not null)
        {
            query = query.Where(after.Preceding(p => p.CreatedAt));
        }

        var rows = await query.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).Take(size + 1)
            .Select(PublicationSummary.Columns).ToListAsync(cancellationToken);
        var page = rows.Take(size).ToList();
        var next = rows.Count > size ? new PublicationCursor(page[^1].CreatedAt, page[^1].Id.Value).Encode() : null;
        return new PublicationQueryResult([], page, next);
    }

    private static IQueryable<Publication> Filter(
        HeraldDbContext db, PlatformRegistry registry, PublicationFilter filter, List<(string, string)> problems)
    {
        var query = db.Publications.AsNoTracking();
        if (filter.Status is { } status)
        {
            if (Enum.TryParse<PublicationStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            {
                query = query.Where(p => p.Status == parsed);
            }
            else
            {
                problems.Add(("status", $"unknown status '{status}'; known: {string.Join(", ", Enum.GetNames<PublicationStatus>())}"));
            }
        }

        if (filter.Platform is { } platform)
        {
            if (registry.TryResolve(platform, out var adapter))
            {
                var id = adapter.Platform.Id;
                query = query.Where(p => p.Platform == id);
            }
            else
            {
                problems.Add(("platform", $"unknown platform '{platform}'; known platforms: {string.Join(", ", registry.PlatformIds)}"));
            }
        }

        if (filter.Account is { } account)
        {
            if (Guid.TryParse(account, out var accountId))
            {
                var id = new AccountId(accountId);
                query = query.Where(p => p.AccountId == id);
            }
            else
            {
                problems.Add(("account", "must be an account id"));
            }
        }

        if (filter.Content is { } content)
        {
            if (Guid.TryParse(content, out var contentId))
            {
                var id = new ContentId(contentId);
                query = query.Where(p => p.ContentId == id);
            }
            else
            {
                problems.Add(("content", "must be a content id"));
            }
        }

        if (filter.DueFrom is { } from)
        {
            query = query.Where(p => p.ScheduledAt >= from);
        }

        if (filter.DueTo is { } to)
        {
            query = query.Where(p => p.ScheduledAt < to);
        }

        if (!string.IsNullOrWhiteSpace(filter.Title))
        {
            // LIKE with the text's own wildcards escaped (not Contains, which PostgreSQL runs as strpos): a LIKE on
            // lower(title) can read the trigram index the PostgreSQL schema has where pg_trgm is available.
            var pattern = "%" + LikeEscaped(filter.Title.Trim().ToLowerInvariant()) + "%";
            query = query.Where(p => db.Contents.Any(c => c.Id == p.ContentId && EF.Functions.Like(c.Title.ToLower(), pattern, LikeEscape)));
        }

        return query;
    }

    /// <summary>The text with LIKE's wildcards (<c>%</c>, <c>_</c>) and the escape character itself matched as written.</summary>
    private static string LikeEscaped(string text) =>
        text.Replace(LikeEscape, LikeEscape + LikeEscape, StringComparison.Ordinal)
            .Replace("%", LikeEscape + "%", StringComparison.Ordinal)
            .Replace("_", LikeEscape + "_", StringComparison.Ordinal);
}
