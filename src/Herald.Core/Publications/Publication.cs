using Herald.Platforms;

namespace Herald.Publications;

/// <summary>
/// One content on one account: when it is due, where it is in its life, and what came of it.
/// Every status change goes through <see cref="PublicationStateMachine"/>.
/// </summary>
public sealed class Publication
{
    // For EF Core.
    private Publication()
    {
    }

    public PublicationId Id { get; private init; }

    public ContentId ContentId { get; private init; }

    public AccountId AccountId { get; private init; }

    /// <summary>The canonical platform id of the account, kept here for queries and rate limiting.</summary>
    public string Platform { get; private init; } = "";

    public PublicationStatus Status { get; private set; }

    /// <summary>When it is due, as a UTC instant.</summary>
    public DateTimeOffset ScheduledAt { get; private set; }

    /// <summary>The IANA time zone the user gave the time in (UTC when none was given).</summary>
    public string TimeZone { get; private set; } = "UTC";

    /// <summary>How many tries have started.</summary>
    public int AttemptCount { get; private set; }

    /// <summary>How many retries have been scheduled after a retryable failure.</summary>
    public int RetryCount { get; private set; }

    public int MaxRetries { get; private set; }

    /// <summary>When the next try is due; null when none is planned.</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }

    public string? LeaseOwner { get; private set; }

    public DateTimeOffset? LeaseExpiresAt { get; private set; }

    public PublishOutcomeKind? LastErrorKind { get; private set; }

    /// <summary>The last error, sanitised: no credentials, no stack trace.</summary>
    public string? LastError { get; private set; }

    public string? ExternalId { get; private set; }

    public Uri? Url { get; private set; }

    public DateTimeOffset? PublishedAt { get; private set; }

    /// <summary>A stable key for this publication, sent where a platform supports idempotent writes.</summary>
    public string IdempotencyKey { get; private init; } = "";

    /// <summary>The rendered payload that was (or will be) sent, or the ready-to-paste draft of a manual platform.</summary>
    public string? Payload { get; private set; }

    /// <summary>
    /// When a send of this publication started whose outcome is not known yet: it may have taken effect on the
    /// platform. Set before the first request of a send goes out; cleared only by a confirmed outcome or a lookup's
    /// answer. While it is set, every path — recovery, deferral, shutdown, a person's retry or reschedule — looks
    /// the post up before anything is sent again.
    /// </summary>
    public DateTimeOffset? UncertainSince { get; private set; }

    /// <summary>
    /// When the lease's current holder began to look this publication up or to send it; null until it does, and
    /// cleared whenever the lease changes hands. A lease that expires with it set is an attempt that really ended
    /// without an outcome; one that expires without it (a row that waited in a dead worker's batch) is not counted
    /// towards review.
    /// </summary>
    public DateTimeOffset? WorkStartedAt { get; private set; }

    /// <summary>
    /// How many attempts ended without an outcome: the worker died or stopped (its lease expired), or the attempt
    /// ended in an error of Herald's own. After <c>Herald:Workers:MaxRecoveries</c> of them it goes to review.
    /// </summary>
    public int RecoveryCount { get; private set; }

    /// <summary>For threads: the remote id of every part confirmed so far, in order.</summary>
    public IReadOnlyList<string> ThreadPartIds { get; private set; } = [];

    /// <summary>The images platforms accepted for this publication, reused by later tries (one per part and image).</summary>
    public IReadOnlyList<UploadedMedia> UploadedMedia { get; private set; } = [];

    public DateTimeOffset CreatedAt { get; private init; }

    /// <summary>
    /// When what a user sees of it last changed (status, due time, outcome, error, content). The worker's own notes
    /// during an attempt (a send or lookup about to start) bump <see cref="Version"/> only: they are not events, and a
    /// write that changes no indexed column lets PostgreSQL update the row in place.
    /// </summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Optimistic concurrency token; bumped on every change.</summary>
    public int Version { get; private set; }

    public static Publication Create(
        ContentId contentId,
        AccountId accountId,
        string platform,
        DateTimeOffset scheduledAt,
        string timeZone,
        int maxRetries,
        DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        var id = PublicationId.New();
        return new Publication
        {
            Id = id,
            ContentId = contentId,
            AccountId = accountId,
            Platform = platform,
            Status = PublicationStatus.Scheduled,
            ScheduledAt = scheduledAt.ToUniversalTime(),
            TimeZone = timeZone,
            MaxRetries = maxRetries,
            NextAttemptAt = scheduledAt.ToUniversalTime(),
            IdempotencyKey = $"herald-{id.Value:N}",
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>A worker takes the publication: Scheduled/RetryScheduled (or an expired Publishing lease) → Publishing.</summary>
    public void BeginAttempt(string leaseOwner, DateTimeOffset leaseExpiresAt, DateTimeOffset now)
    {
        MoveTo(PublicationStatus.Publishing, now);
        AttemptCount++;
        LeaseOwner = leaseOwner;
        LeaseExpiresAt = leaseExpiresAt;
        NextAttemptAt = null;
        WorkStartedAt = null;
    }

    /// <summary>
    /// The rate limiter had no permit: nothing was sent, so the publication goes back to waiting until
    /// <paramref name="until"/> without using a retry. <paramref name="attemptWasCounted"/> is true when the claim
    /// that took it counted an attempt, which is then given back.
    /// </summary>
    public void Defer(DateTimeOffset until, bool attemptWasCounted, DateTimeOffset now)
    {
        MoveTo(RetryCount > 0 ? PublicationStatus.RetryScheduled : PublicationStatus.Scheduled, now);
        if (attemptWasCounted && AttemptCount > 0)
        {
            AttemptCount--;
        }

        NextAttemptAt = until;
        ReleaseLease();
    }

    /// <summary>
    /// Retry now: a failed, reviewed or waiting retry goes back to the queue, due now, with its retries reset. A
    /// publication that was never tried (Scheduled), was cancelled, or is done is refused: retry would send a post
    /// scheduled for later at once. From NeedsReview it is the person's word that the post is not on the platform, so
    /// it is sent without another lookup; otherwise, if its last send may have taken effect, it is looked up first.
    /// </summary>
    public void RetryNow(DateTimeOffset now)
    {
        EnsureNotInFlight(PublicationStatus.Scheduled);
        if (Status is not (PublicationStatus.Failed or PublicationStatus.NeedsReview or PublicationStatus.RetryScheduled))
        {
            throw new IllegalTransitionException(
                Id, Status, PublicationStatus.Scheduled, PublicationStateMachine.AllowedFrom(Status),
                Status switch
                {
                    PublicationStatus.Scheduled => "It has not been tried yet; it goes out at its scheduled time (reschedule it to change that).",
                    PublicationStatus.Cancelled => "It was cancelled; reschedule it to send it again.",
                    _ => "Retry applies to Failed, NeedsReview and RetryScheduled publications.",
                });
        }

        if (Status == PublicationStatus.NeedsReview)
        {
            // A person was asked to check the platform; "retry" is their answer that the post is not there.
            UncertainSince = null;
        }

        MoveTo(PublicationStatus.Scheduled, now);
        NextAttemptAt = now;
        RetryCount = 0;
        RecoveryCount = 0;
    }

    /// <summary>The holder of the lease keeps it longer (an inline send that reaches its next target).</summary>
    public void RenewLease(string leaseOwner, DateTimeOffset leaseExpiresAt, DateTimeOffset now)
    {
        EnsureInFlight(nameof(RenewLease));
        if (LeaseOwner != leaseOwner)
        {
            throw new InvalidOperationException($"Publication {Id} is held by another worker; its lease cannot be renewed by {leaseOwner}.");
        }

        LeaseExpiresAt = leaseExpiresAt;
        Touch(now);
    }

    /// <summary>
    /// The send is about to start: from now until an outcome is confirmed, the post may exist on the platform. Saved
    /// before the first request goes out. An earlier uncertain instant is kept (lookups search from it).
    /// </summary>
    public void BeginSend(DateTimeOffset now)
    {
        EnsureInFlight(nameof(BeginSend));
        UncertainSince ??= now;
        WorkStartedAt ??= now;
        Version++;
    }

    /// <summary>
    /// A lookup of an earlier send is about to start. Saved before the platform is asked, so a worker that dies
    /// during it has its attempt counted (<see cref="RecoveryCount"/>) as one that ended without an outcome.
    /// </summary>
    public void BeginLookup(DateTimeOffset now)
    {
        EnsureInFlight(nameof(BeginLookup));
        WorkStartedAt ??= now;
        Version++;
    }

    /// <summary>A lookup answered (found or not found): what happened to the earlier send is known.</summary>
    public void ResolveUncertainty()
    {
        if (UncertainSince is not null)
        {
            UncertainSince = null;
            Version++;
        }
    }

    /// <summary>
    /// The attempt ended without an outcome, in an error of Herald's own (a store failure, a bug): it is counted,
    /// and the publication is due again at <paramref name="nextAttemptAt"/>, looked up first if its send may have
    /// taken effect.
    /// </summary>
    public void EndWithoutOutcome(DateTimeOffset nextAttemptAt, string error, DateTimeOffset now)
    {
        MoveTo(PublicationStatus.RetryScheduled, now);
        RecoveryCount++;
        NextAttemptAt = nextAttemptAt;
        LastErrorKind = PublishOutcomeKind.Unknown;
        LastError = error;
        ReleaseLease();
    }

    /// <summary>Keeps the exact payload (or draft) so it can be shown and resent unchanged.</summary>
    public void SetPayload(string payload, DateTimeOffset now)
    {
        Payload = payload;
        Touch(now);
    }

    /// <summary>Saves one confirmed thread part; called as each part is confirmed, before the next is sent.</summary>
    public void ConfirmThreadPart(string remoteId, DateTimeOffset now)
    {
        ThreadPartIds = [.. ThreadPartIds, remoteId];
        Touch(now);
    }

    /// <summary>Saves an uploaded image, replacing an earlier upload of the same part and image; called as each upload is accepted.</summary>
    public void RecordUploadedMedia(UploadedMedia media, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(media);
        UploadedMedia = [.. UploadedMedia.Where(m => m.Part != media.Part || m.Image != media.Image), media];
        Touch(now);
    }

    public void MarkPublished(string? externalId, Uri? url, DateTimeOffset now)
    {
        MoveTo(PublicationStatus.Published, now);
        UncertainSince = null;
        ExternalId = externalId;
        Url = url;
        PublishedAt = now;
        LastErrorKind = null;
        LastError = null;
        ReleaseLease();
    }

    /// <summary>A retryable failure: try again at <paramref name="nextAttemptAt"/>.</summary>
    public void ScheduleRetry(DateTimeOffset nextAttemptAt, PublishOutcomeKind kind, string error, DateTimeOffset now)
    {
        MoveTo(PublicationStatus.RetryScheduled, now);
        RetryCount++;
        NextAttemptAt = nextAttemptAt;
        LastErrorKind = kind;
        LastError = error;
        ReleaseLease();
    }

    public void MarkFailed(PublishOutcomeKind kind, string error, DateTimeOffset now)
    {
        MoveTo(PublicationStatus.Failed, now);
        LastErrorKind = kind;
        LastError = error;
        NextAttemptAt = null;
        ReleaseLease();
    }

    /// <summary>A manual platform: keep the ready-to-paste draft and wait for the user.</summary>
    public void AwaitManualAction(string draft, DateTimeOffset now)
    {
        MoveTo(PublicationStatus.AwaitingManualAction, now);
        UncertainSince = null;
        Payload = draft;
        ReleaseLease();
    }

    /// <summary>The user posted the draft by hand; <paramref name="url"/> is where it lives.</summary>
    public void MarkPosted(Uri? url, DateTimeOffset now)
    {
        EnsureNotInFlight(PublicationStatus.Published);
        MoveTo(PublicationStatus.Published, now);
        UncertainSince = null;
        Url = url;
        PublishedAt = now;
    }

    /// <summary>Herald cannot tell whether the platform has the post: a person decides.</summary>
    public void FlagForReview(string reason, DateTimeOffset now)
    {
        MoveTo(PublicationStatus.NeedsReview, now);
        LastErrorKind = PublishOutcomeKind.Unknown;
        LastError = reason;
        ReleaseLease();
    }

    public void Cancel(DateTimeOffset now)
    {
        MoveTo(PublicationStatus.Cancelled, now);
        NextAttemptAt = null;
    }

    /// <summary>Puts the publication back in the queue at <paramref name="scheduledAt"/>.</summary>
    public void Reschedule(DateTimeOffset scheduledAt, string timeZone, DateTimeOffset now)
    {
        EnsureNotInFlight(PublicationStatus.Scheduled);
        MoveTo(PublicationStatus.Scheduled, now);
        ScheduledAt = scheduledAt.ToUniversalTime();
        TimeZone = timeZone;
        NextAttemptAt = ScheduledAt;
        RetryCount = 0;
        RecoveryCount = 0;
    }

    /// <summary>
    /// A person's action (retry, reschedule, mark posted) never takes a publication out of a worker's hands:
    /// the worker may be sending it right now, and a second send would publish it twice. Publishing → Scheduled
    /// and Publishing → Published exist only for the worker itself (a deferral, a success).
    /// </summary>
    private void EnsureNotInFlight(PublicationStatus to)
    {
        if (Status == PublicationStatus.Publishing)
        {
            throw new IllegalTransitionException(
                Id, Status, to, PublicationStateMachine.AllowedFrom(Status),
                "A worker is publishing it now; wait until this attempt ends (herald status shows it), then try again.");
        }
    }

    private void EnsureInFlight(string action)
    {
        if (Status != PublicationStatus.Publishing)
        {
            throw new InvalidOperationException($"Publication {Id} is {Status}; {action} needs it Publishing under this worker's lease.");
        }
    }

    private void MoveTo(PublicationStatus to, DateTimeOffset now)
    {
        PublicationStateMachine.EnsureAllowed(Id, Status, to);
        Status = to;
        Touch(now);
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }

    private void ReleaseLease()
    {
        LeaseOwner = null;
        LeaseExpiresAt = null;
    }
}
