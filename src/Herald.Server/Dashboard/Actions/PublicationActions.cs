using Herald.Publications;
using Herald.Scheduling;
using Herald.Server.Posts;
using Herald.Server.Publications;

namespace Herald.Server.Dashboard.Actions;

/// <summary>What became of an action: what was done, or why it was refused (the publication is then unchanged).</summary>
public sealed record PublicationActionResult(string? Done, string? Problem)
{
    public static PublicationActionResult Refused(string problem) => new(null, problem);
}

/// <summary>
/// The dashboard's publication actions. They go through the same scheduler calls and the same input readers as the
/// API's <c>POST /publications/{id}/cancel|retry|reschedule|posted</c>, so the rules are the API's; what the API
/// answers with 409 or 422 comes back here as a sentence to show.
/// </summary>
public sealed class PublicationActions(IPublicationScheduler scheduler, TimeProvider clock, ILogger<PublicationActions> log)
{
    public static bool CanCancel(PublicationStatus status) => PublicationStateMachine.IsAllowed(status, PublicationStatus.Cancelled);

    /// <summary>Retry now applies to Failed, NeedsReview and RetryScheduled (what the publication itself allows).</summary>
    public static bool CanRetry(PublicationStatus status) =>
        status is PublicationStatus.Failed or PublicationStatus.NeedsReview or PublicationStatus.RetryScheduled;

    public static bool CanReschedule(PublicationStatus status) =>
        status != PublicationStatus.Publishing && PublicationStateMachine.IsAllowed(status, PublicationStatus.Scheduled);

    public static bool CanMarkPosted(PublicationStatus status) =>
        status != PublicationStatus.Publishing && PublicationStateMachine.IsAllowed(status, PublicationStatus.Published);

    public static bool AnyAllowed(PublicationStatus status) =>
        CanCancel(status) || CanRetry(status) || CanReschedule(status) || CanMarkPosted(status);

    public Task<PublicationActionResult> CancelAsync(PublicationId id, CancellationToken cancellationToken) =>
        ChangeAsync(id, "cancelled", () => scheduler.CancelAsync(id, cancellationToken));

    public Task<PublicationActionResult> RetryAsync(PublicationId id, CancellationToken cancellationToken) =>
        ChangeAsync(id, "retried", () => scheduler.RetryNowAsync(id, cancellationToken));

    public Task<PublicationActionResult> RescheduleAsync(PublicationId id, string? at, string? timeZone, CancellationToken cancellationToken)
    {
        var problems = new List<(string Field, string Message)>();
        if (string.IsNullOrWhiteSpace(at))
        {
            problems.Add(("New time", "give the new time, such as 2026-12-01 09:00 with a time zone, or now"));
        }

        var when = ScheduleInput.Read(at, string.IsNullOrWhiteSpace(timeZone) ? null : timeZone.Trim(), clock, problems);
        if (problems.Count > 0 || when is null)
        {
            return Task.FromResult(PublicationActionResult.Refused(string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message}"))));
        }

        return ChangeAsync(id, "rescheduled", () => scheduler.RescheduleAsync(id, when.Value, cancellationToken));
    }

    public Task<PublicationActionResult> MarkPostedAsync(PublicationId id, string? url, CancellationToken cancellationToken) =>
        PostedUrl.TryRead(url, out var parsed)
            ? ChangeAsync(id, "marked posted", () => scheduler.MarkPostedAsync(id, parsed, cancellationToken))
            : Task.FromResult(PublicationActionResult.Refused($"URL of the post: {PostedUrl.Rule}"));

    private async Task<PublicationActionResult> ChangeAsync(PublicationId id, string action, Func<Task<Publication>> change)
    {
        try
        {
            await change();
        }
        catch (IllegalTransitionException illegal)
        {
            return PublicationActionResult.Refused($"Not allowed in the publication's status: {illegal.Message}");
        }
        catch (PublicationConflictException)
        {
            return PublicationActionResult.Refused("A worker changed this publication meanwhile; nothing was saved. Look at it again and retry.");
        }
        catch (ScheduleTimeException time)
        {
            return PublicationActionResult.Refused($"New time: {time.Message}");
        }

        DashboardLog.PublicationChanged(log, id.ToString(), action);
        return new PublicationActionResult(action, null);
    }
}
