using Herald.Server.Publications;
using Herald.Storage;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Events;

/// <summary>
/// Publication changes in update order, read from the database (so they are seen whichever node's worker made them):
/// what the event stream sends and what webhooks deliver. A position is a <see cref="PublicationCursor"/> over
/// <c>updated_at</c>.
/// </summary>
internal static class PublicationChanges
{
    /// <summary>
    /// Changes younger than this are left for the next look: a change stamped earlier may still be committing, and a
    /// position past it would skip it for good.
    /// </summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(1);

    /// <summary>Where a reader that starts now begins.</summary>
    public static PublicationCursor Now(TimeProvider clock) => new(clock.GetUtcNow() - SettleTime, null);

    /// <summary>
    /// Up to <paramref name="limit"/> settled changes after <paramref name="position"/>, oldest first: the columns an
    /// event shows, not the stored payload (read every half second by each open stream).
    /// </summary>
    public static Task<List<PublicationSummary>> AfterAsync(
        HeraldDbContext db, TimeProvider clock, PublicationCursor position, int limit, CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - SettleTime;
        return db.Publications.AsNoTracking()
            .Where(p => p.UpdatedAt < before)
            .Where(position.Following(p => p.UpdatedAt))
            .OrderBy(p => p.UpdatedAt).ThenBy(p => p.Id)
            .Take(limit)
            .Select(PublicationSummary.Columns)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The position just past <paramref name="publication"/>'s change.</summary>
    public static PublicationCursor Past(PublicationSummary publication) => new(publication.UpdatedAt, publication.Id.Value);
}
