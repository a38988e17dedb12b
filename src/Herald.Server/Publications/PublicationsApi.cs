using Herald.Platforms;
using Herald.Publications;
using Herald.Scheduling;
using Herald.Server.Hosting;
using Herald.Server.Keys;
using Herald.Server.Posts;
using Herald.Server.Problems;
using Herald.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Herald.Server.Publications;

/// <summary><c>/api/v1/publications</c>: list with filters and cursor paging, one with its attempts, and the actions.</summary>
internal static class PublicationsApi
{
    public static RouteGroupBuilder MapPublicationsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/publications").WithTags("Publications");
        group.MapGet("/", ListAsync).RequireScope(ApiScopes.Read)
            .WithSummary("Lists publications, newest first, with filters and cursor paging.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id}", GetAsync).RequireScope(ApiScopes.Read)
            .WithSummary("One publication with every attempt and the stored payload.");
        group.MapPost("/{id}/cancel", (string id, IPublicationScheduler s, PostLinks links, ILogger<PublicationsApiLog> log, CancellationToken ct) =>
                ChangeAsync(id, "cancelled", p => s.CancelAsync(p, ct), s, links, log, ct))
            .RequireScope(ApiScopes.Write).WithSummary("Cancels a publication that has not been sent.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id}/retry", (string id, IPublicationScheduler s, PostLinks links, ILogger<PublicationsApiLog> log, CancellationToken ct) =>
                ChangeAsync(id, "retried", p => s.RetryNowAsync(p, ct), s, links, log, ct))
            .RequireScope(ApiScopes.Write).WithSummary("Failed, NeedsReview or RetryScheduled: due now, retries reset.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id}/reschedule", RescheduleAsync)
            .RequireScope(ApiScopes.Write).WithSummary("Moves a waiting, failed or cancelled publication to another time.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/{id}/posted", PostedAsync)
            .RequireScope(ApiScopes.Write).WithSummary("Marks a manual (or reviewed) publication as posted by hand, with its URL.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    /// <summary>The category of the API's publication log lines.</summary>
    internal sealed class PublicationsApiLog;

    private static async Task<Results<Ok<PublicationPage>, ProblemHttpResult>> ListAsync(
        HeraldDbContext db,
        PlatformRegistry registry,
        PostLinks links,
        string? status = null,
        string? platform = null,
        string? account = null,
        string? content = null,
        DateTimeOffset? dueFrom = null,
        DateTimeOffset? dueTo = null,
        string? q = null,
        int? limit = null,
        string? cursor = null,
        CancellationToken cancellationToken = default)
    {
        var result = await PublicationQuery.ListAsync(
            db, registry, new PublicationFilter(status, platform, account, content, dueFrom, dueTo, q, limit, cursor), cancellationToken);
        return result.Problems.Count > 0
            ? ProblemResults.Invalid(result.Problems)
            : TypedResults.Ok(new PublicationPage([.. result.Items.Select(p => PublicationResponse.From(p, links))], result.NextCursor));
    }

    private static async Task<Results<Ok<PublicationDetailsResponse>, ProblemHttpResult>> GetAsync(
        string id, IPublicationScheduler scheduler, PostLinks links, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid) || await scheduler.GetAsync(new PublicationId(guid), cancellationToken) is not { } details)
        {
            return ProblemResults.NotFound("publication", id);
        }

        return TypedResults.Ok(new PublicationDetailsResponse(
            PublicationResponse.From(details.Publication, links),
            details.Content?.Title,
            details.Account?.DisplayName,
            details.Publication.Payload,
            [.. details.Attempts.Select(AttemptResponse.From)]));
    }

    private static async Task<Results<Ok<PublicationResponse>, ProblemHttpResult>> RescheduleAsync(
        string id, RescheduleRequest request, IPublicationScheduler scheduler, PostLinks links, TimeProvider clock, ILogger<PublicationsApiLog> log, CancellationToken cancellationToken)
    {
        var problems = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(request.At))
        {
            problems.Add(("at", "give the new time, such as \"2026-12-01 09:00\" with timeZone, or \"now\""));
        }

        var when = ScheduleInput.Read(request.At, request.TimeZone, clock, problems);
        if (problems.Count > 0 || when is null)
        {
            return ProblemResults.Invalid(problems);
        }

        return await ChangeAsync(id, "rescheduled", p => scheduler.RescheduleAsync(p, when.Value, cancellationToken), scheduler, links, log, cancellationToken);
    }

    private static async Task<Results<Ok<PublicationResponse>, ProblemHttpResult>> PostedAsync(
        string id, PostedRequest? request, IPublicationScheduler scheduler, PostLinks links, ILogger<PublicationsApiLog> log, CancellationToken cancellationToken)
    {
        if (!PostedUrl.TryRead(request?.Url, out var url))
        {
            return ProblemResults.Invalid("url", PostedUrl.Rule);
        }

        return await ChangeAsync(id, "marked posted", p => scheduler.MarkPostedAsync(p, url, cancellationToken), scheduler, links, log, cancellationToken);
    }

    /// <summary>404 for an unknown id; an illegal change is 409 (the exception handler maps it), naming both statuses.</summary>
    private static async Task<Results<Ok<PublicationResponse>, ProblemHttpResult>> ChangeAsync(
        string id, string action, Func<PublicationId, Task<Publication>> change, IPublicationScheduler scheduler, PostLinks links, ILogger log, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid) || await scheduler.GetAsync(new PublicationId(guid), cancellationToken) is null)
        {
            return ProblemResults.NotFound("publication", id);
        }

        var publication = await change(new PublicationId(guid));
        ServerLog.PublicationChanged(log, publication.Id.ToString(), action);
        return TypedResults.Ok(PublicationResponse.From(publication, links));
    }
}
