using System.Collections.Frozen;

namespace Herald.Publications;

/// <summary>
/// The one place that says which status changes are allowed. Everything that moves a publication goes
/// through <see cref="EnsureAllowed"/>; an illegal change is refused, never silently applied.
/// </summary>
public static class PublicationStateMachine
{
    private static readonly FrozenDictionary<PublicationStatus, PublicationStatus[]> Allowed =
        new Dictionary<PublicationStatus, PublicationStatus[]>
        {
            // due → Publishing; the user may cancel, or reschedule to another time.
            [PublicationStatus.Scheduled] =
                [PublicationStatus.Publishing, PublicationStatus.Cancelled, PublicationStatus.Scheduled],
            [PublicationStatus.RetryScheduled] =
                [PublicationStatus.Publishing, PublicationStatus.Cancelled, PublicationStatus.Scheduled],
            // An attempt ends in exactly one of these; Publishing → Publishing is a worker taking over
            // an expired lease (it reconciles before anything is resent). Publishing → Scheduled is only a
            // deferral: the rate limiter had no permit, so nothing was sent and no attempt is counted
            // (Publication.Defer); a deferred retry goes back to RetryScheduled the same way.
            [PublicationStatus.Publishing] =
            [
                PublicationStatus.Published, PublicationStatus.RetryScheduled, PublicationStatus.Failed,
                PublicationStatus.AwaitingManualAction, PublicationStatus.NeedsReview, PublicationStatus.Publishing,
                PublicationStatus.Scheduled,
            ],
            // Manual platforms: the user marks it posted, or cancels.
            [PublicationStatus.AwaitingManualAction] = [PublicationStatus.Published, PublicationStatus.Cancelled],
            // A person decides: it is there (Published), send it again (Scheduled), or give up (Failed).
            [PublicationStatus.NeedsReview] =
                [PublicationStatus.Published, PublicationStatus.Scheduled, PublicationStatus.Failed],
            // Retry now / reschedule puts a failed or cancelled publication back in the queue.
            [PublicationStatus.Failed] = [PublicationStatus.Scheduled],
            [PublicationStatus.Cancelled] = [PublicationStatus.Scheduled],
            [PublicationStatus.Published] = [],
        }.ToFrozenDictionary();

    /// <summary>The statuses a publication in <paramref name="from"/> may move to.</summary>
    public static IReadOnlyList<PublicationStatus> AllowedFrom(PublicationStatus from) => Allowed[from];

    public static bool IsAllowed(PublicationStatus from, PublicationStatus to) => Allowed[from].Contains(to);

    /// <exception cref="IllegalTransitionException">The change is not allowed.</exception>
    public static void EnsureAllowed(PublicationId id, PublicationStatus from, PublicationStatus to)
    {
        if (!IsAllowed(from, to))
        {
            throw new IllegalTransitionException(id, from, to, AllowedFrom(from));
        }
    }
}

/// <summary>A status change that the publication status machine does not allow.</summary>
public sealed class IllegalTransitionException(
    PublicationId id,
    PublicationStatus from,
    PublicationStatus to,
    IReadOnlyList<PublicationStatus> allowed,
    string? reason = null)
    : InvalidOperationException(
        $"Publication {id} cannot go from {from} to {to}. " +
        (reason ?? (allowed.Count == 0
            ? $"{from} is final."
            : $"From {from} it may go to: {string.Join(", ", allowed)}.")))
{
    public PublicationId PublicationId { get; } = id;

    public PublicationStatus From { get; } = from;

    public PublicationStatus To { get; } = to;
}
