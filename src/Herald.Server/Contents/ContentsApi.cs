using Herald.Publications;
using Herald.Server.Hosting;
using Herald.Server.Keys;
using Herald.Server.Posts;
using Herald.Server.Problems;
using Herald.Server.Publications;
using Herald.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Contents;

/// <summary><c>/api/v1/contents/{id}</c>: a content with its publications; deleted only while nothing was sent.</summary>
internal static class ContentsApi
{
    public static RouteGroupBuilder MapContentsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/contents").WithTags("Contents");
        group.MapGet("/{id}", GetAsync).RequireScope(ApiScopes.Read).WithSummary("A content with its publications.");
        group.MapDelete("/{id}", DeleteAsync).RequireScope(ApiScopes.Write)
            .WithSummary("Deletes a content and its publications, only while none of them was sent or is being sent.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    /// <summary>A content and every publication of it.</summary>
    public sealed record ContentDetailsResponse(ContentResponse Content, IReadOnlyList<PublicationResponse> Publications);

    private static async Task<Results<Ok<ContentDetailsResponse>, ProblemHttpResult>> GetAsync(string id, HeraldDbContext db, PostLinks links, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return ProblemResults.NotFound("content", id);
        }

        var contentId = new ContentId(guid);
        var content = await db.Contents.AsNoTracking().FirstOrDefaultAsync(c => c.Id == contentId, cancellationToken);
        if (content is null)
        {
            return ProblemResults.NotFound("content", id);
        }

        var publications = await db.Publications.AsNoTracking().Where(p => p.ContentId == contentId).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ContentDetailsResponse(
            ContentResponse.From(content), [.. publications.OrderBy(p => p.Platform, StringComparer.Ordinal).Select(p => PublicationResponse.From(p, links))]));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, HeraldDbContext db, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return ProblemResults.NotFound("content", id);
        }

        var contentId = new ContentId(guid);
        var content = await db.Contents.FirstOrDefaultAsync(c => c.Id == contentId, cancellationToken);
        if (content is null)
        {
            return ProblemResults.NotFound("content", id);
        }

        var publications = await db.Publications.Where(p => p.ContentId == contentId).ToListAsync(cancellationToken);
        var sent = publications.Where(p => p.AttemptCount > 0 || p.Status is not (PublicationStatus.Scheduled or PublicationStatus.Cancelled)).ToList();
        if (sent.Count > 0)
        {
            return ProblemResults.Conflict("Already sent",
                $"{sent.Count} of its publications were sent or are being sent ({string.Join(", ", sent.Select(p => $"{p.Platform} {p.Id}: {p.Status}"))}); " +
                "cancel the ones still waiting instead (POST /api/v1/publications/{id}/cancel).");
        }

        db.Publications.RemoveRange(publications);
        db.Contents.Remove(content);
        try
        {
            // Each row's version fences a worker that claimed it meanwhile: then nothing is deleted.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ProblemResults.Conflict("Changed meanwhile", "A worker took one of its publications while it was being deleted; nothing was deleted.");
        }

        return TypedResults.NoContent();
    }
}
