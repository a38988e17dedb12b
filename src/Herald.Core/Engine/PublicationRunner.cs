using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms;
using Herald.Publications;
using Herald.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Engine;

/// <summary>
/// Runs one try of one publication and keeps the record straight: stores the exact payload, publishes through
/// <see cref="IPublishingEngine"/>, reconciles an unknown outcome, applies the retry policy, and saves the attempt
/// and the new status together (DESIGN.md, "The flow", steps 3–6). The one place that decides the next status.
/// </summary>
public sealed class PublicationRunner(
    IPublicationStore store,
    IPublishingEngine engine,
    PlatformRegistry registry,
    TimeProvider timeProvider,
    ILogger<PublicationRunner>? logger = null,
    RetryPolicies? retryPolicies = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<PublicationRunner>.Instance;
    private readonly RetryPolicies _retryPolicies = retryPolicies ?? new RetryPolicies();

    /// <summary>How long a worker holds a publication before another may take it over.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Takes <paramref name="publication"/> and publishes it now (the CLI's inline path).</summary>
    public async Task<PublishResult> RunAsync(
        Publication publication,
        Content content,
        Account account,
        string workerId,
        CancellationToken cancellationToken = default)
    {
        var adapter = registry.Resolve(account.Platform);
        var started = timeProvider.GetUtcNow();
        publication.BeginAttempt(workerId, started + LeaseDuration, started);
        publication.SetPayload(adapter.Render(content, account).Body, started);
        // The lease and payload are on disk before anything is sent: a crash from here on is recoverable.
        await store.SavePublicationAsync(publication, cancellationToken);
        return await SendClaimedAsync(publication, content, account, cancellationToken);
    }

    /// <summary>
    /// Sends a publication that is already <c>Publishing</c> under this worker, its payload stored, then saves the
    /// outcome and the attempt row in one transaction.
    /// </summary>
    public async Task<PublishResult> SendClaimedAsync(
        Publication publication,
        Content content,
        Account account,
        CancellationToken cancellationToken = default)
    {
        var adapter = registry.Resolve(account.Platform);
        var started = timeProvider.GetUtcNow();
        var request = RequestFor(publication, content, account);
        var result = await engine.PublishAsync(request, cancellationToken);
        var ended = timeProvider.GetUtcNow();
        var error = result.Error;

        if (result.Outcome == PublishOutcomeKind.Unknown)
        {
            result = await ReconcileAsync(adapter, publication, request, result, cancellationToken);
        }
        else
        {
            ApplyOutcome(publication, result, ended);
        }

        await store.SaveOutcomeAsync(publication, AttemptOf(publication, started, ended, result.Outcome, result.HttpStatus, error), cancellationToken);
        HeraldLog.AttemptEnded(_logger, publication.Id.ToString(), publication.Platform, publication.AttemptCount, publication.Status);
        return result;
    }

    /// <summary>
    /// A publication whose worker died (its lease expired): look on the platform before anything is resent
    /// (DESIGN.md step 6). Found → Published; cannot tell → NeedsReview; both saved, and true is returned.
    /// Not found (or a thread with parts left) → false: the caller sends it as a new attempt.
    /// </summary>
    public async Task<bool> ReconcileRecoveredAsync(
        Publication publication,
        Content content,
        Account account,
        CancellationToken cancellationToken = default)
    {
        var adapter = registry.Resolve(account.Platform);
        var started = timeProvider.GetUtcNow();
        var request = RequestFor(publication, content, account);
        var lookup = await LookAsync(adapter, publication, request, cancellationToken);
        var now = timeProvider.GetUtcNow();
        const string Stopped = "The worker stopped during this attempt (its lease expired).";
        switch (lookup.State)
        {
            case ExistingPostState.Found when adapter.Platform.Capabilities.SupportsThreads && lookup.ExternalId is { } partId:
                // Saved with the found part: a failure before that leaves neither, and the next recovery looks again.
                store.StageAttempt(AttemptOf(publication, started, now, PublishOutcomeKind.Unknown, null, $"{Stopped} Its next thread part was found; the rest follows."));
                await request.OnPartConfirmed(partId, cancellationToken);
                return false;
            case ExistingPostState.Found:
                publication.MarkPublished(lookup.ExternalId, lookup.Url, now);
                await store.SaveOutcomeAsync(publication, AttemptOf(publication, started, now, PublishOutcomeKind.Published, null, $"{Stopped} The post was found on the platform."), cancellationToken);
                return true;
            case ExistingPostState.NotFound:
                // Saved with the caller's next change (the new attempt, or a deferral), never on its own: a
                // failure in between would otherwise leave this attempt number written, and every later
                // recovery would try to write it again.
                store.StageAttempt(AttemptOf(publication, started, now, PublishOutcomeKind.Unknown, null, $"{Stopped} The post was not found on the platform; sending it again."));
                return false;
            default:
                var reason = ErrorSanitizer.Sanitize(
                    $"{Stopped} Herald cannot tell whether the post exists: {lookup.Reason} Check the platform, then mark it posted or retry.",
                    account.Credentials.SecretValues);
                publication.FlagForReview(reason, now);
                await store.SaveOutcomeAsync(publication, AttemptOf(publication, started, now, PublishOutcomeKind.Unknown, null, reason), cancellationToken);
                return true;
        }
    }

    private static Attempt AttemptOf(Publication publication, DateTimeOffset started, DateTimeOffset ended, PublishOutcomeKind outcome, int? httpStatus, string? error) => new()
    {
        PublicationId = publication.Id,
        Number = publication.AttemptCount,
        StartedAt = started,
        EndedAt = ended,
        Outcome = outcome,
        HttpStatus = httpStatus,
        Error = error,
    };

    /// <summary>
    /// The request for this try: the publication's key, the thread parts already confirmed, and a callback
    /// that stores each newly confirmed part at once, so a resumed thread continues after it.
    /// </summary>
    private PublishRequest RequestFor(Publication publication, Content content, Account account) =>
        new(content, account, publication.IdempotencyKey)
        {
            ConfirmedParts = publication.ThreadPartIds,
            OnPartConfirmed = async (remoteId, cancellationToken) =>
            {
                publication.ConfirmThreadPart(remoteId, timeProvider.GetUtcNow());
                await store.SavePublicationAsync(publication, cancellationToken);
            },
        };

    private static async Task<ExistingPostLookup> LookAsync(
        IPlatformAdapter adapter, Publication publication, PublishRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await adapter.FindExistingAsync(request with { ConfirmedParts = publication.ThreadPartIds }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return ExistingPostLookup.CannotTell($"the lookup failed ({ex.GetType().Name})");
        }
    }

    /// <summary>
    /// The request may or may not have reached the platform. Never resend blindly: look first. For a thread,
    /// a found part is confirmed and the rest of the thread is sent.
    /// </summary>
    private async Task<PublishResult> ReconcileAsync(
        IPlatformAdapter adapter,
        Publication publication,
        PublishRequest request,
        PublishResult unknown,
        CancellationToken cancellationToken)
    {
        var lookup = await LookAsync(adapter, publication, request, cancellationToken);
        var now = timeProvider.GetUtcNow();
        switch (lookup.State)
        {
            case ExistingPostState.Found when adapter.Platform.Capabilities.SupportsThreads && lookup.ExternalId is { } partId:
                await request.OnPartConfirmed(partId, cancellationToken);
                var rest = await engine.PublishAsync(request with { ConfirmedParts = publication.ThreadPartIds }, cancellationToken);
                ApplyOutcome(publication, rest, timeProvider.GetUtcNow());
                return rest;
            case ExistingPostState.Found:
                publication.MarkPublished(lookup.ExternalId, lookup.Url, now);
                return unknown with { Success = true, ExternalId = lookup.ExternalId, Url = lookup.Url };
            case ExistingPostState.NotFound:
                ScheduleRetryOrFail(publication, PublishOutcomeKind.Unknown, unknown.Error ?? "", null, now);
                return unknown;
            default:
                publication.FlagForReview(
                    ErrorSanitizer.Sanitize(
                        $"{unknown.Error} Herald cannot tell whether the post exists: {lookup.Reason} Check the platform, then mark it posted or retry.",
                        request.Account.Credentials.SecretValues),
                    now);
                return unknown;
        }
    }

    /// <summary>Moves the publication on after a try that did not need reconciling.</summary>
    private void ApplyOutcome(Publication publication, PublishResult result, DateTimeOffset now)
    {
        switch (result.Outcome)
        {
            case PublishOutcomeKind.Published:
                publication.MarkPublished(result.ExternalId, result.Url, now);
                break;
            case PublishOutcomeKind.ManualActionRequired:
                publication.AwaitManualAction(result.Draft ?? "", now);
                break;
            case PublishOutcomeKind.Transient or PublishOutcomeKind.RateLimited:
                ScheduleRetryOrFail(publication, result.Outcome, result.Error ?? "", result.RetryAfter, now);
                break;
            case PublishOutcomeKind.Unknown:
                // A second unknown in a row: leave it to a person rather than loop.
                publication.FlagForReview(result.Error ?? "The outcome is unknown.", now);
                break;
            default:
                publication.MarkFailed(result.Outcome, result.Error ?? "", now);
                break;
        }
    }

    /// <summary>DESIGN.md step 5: retry at <c>max(min(base × 2^(n−1), cap), Retry-After)</c>, or Failed after max_retries.</summary>
    private void ScheduleRetryOrFail(
        Publication publication,
        PublishOutcomeKind kind,
        string error,
        TimeSpan? retryAfter,
        DateTimeOffset now)
    {
        var policy = _retryPolicies.For(publication.Platform) with { MaxRetries = publication.MaxRetries };
        if (publication.RetryCount >= policy.MaxRetries)
        {
            publication.MarkFailed(kind, error, now);
            return;
        }

        publication.ScheduleRetry(now + policy.DelayFor(publication.RetryCount + 1, retryAfter), kind, error, now);
    }
}
