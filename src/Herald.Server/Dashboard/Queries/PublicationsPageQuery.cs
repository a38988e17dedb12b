using Herald.Platforms;
using Herald.Server.Publications;
using Herald.Storage;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Dashboard.Queries;

/// <summary>One page of the publications table: rows, the next page's cursor, or the filter's problems.</summary>
public sealed record PublicationsPage(IReadOnlyList<(string Field, string Message)> Problems, IReadOnlyList<PublicationRow> Rows, string? NextCursor);

/// <summary>An account as the filter offers it.</summary>
public sealed record AccountChoice(string Id, string Platform, string Name);

/// <summary>
/// The publications table: the same filters, refusals and keyset paging as <c>GET /api/v1/publications</c>
/// (<see cref="PublicationQuery"/>), with titles and account names added.
/// </summary>
public sealed class PublicationsPageQuery(HeraldDbContext db, PlatformRegistry registry, PostLinks links)
{
    public IReadOnlyList<string> PlatformIds => [.. registry.PlatformIds];

    internal async Task<PublicationsPage> LoadAsync(PublicationFilter filter, CancellationToken cancellationToken)
    {
        var result = await PublicationQuery.ListAsync(db, registry, filter, cancellationToken);
        if (result.Problems.Count > 0)
        {
            return new PublicationsPage(result.Problems, [], null);
        }

        return new PublicationsPage([], await PublicationRows.DescribeAsync(db, links, result.Items, cancellationToken), result.NextCursor);
    }

    public async Task<IReadOnlyList<AccountChoice>> AccountsAsync(CancellationToken cancellationToken) =>
        (await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.Platform, a.DisplayName }).ToListAsync(cancellationToken))
            .Select(a => new AccountChoice(a.Id.ToString(), a.Platform, a.DisplayName))
            .OrderBy(a => a.Platform, StringComparer.Ordinal).ThenBy(a => a.Name, StringComparer.Ordinal).ToList();
}
