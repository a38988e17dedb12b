using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms;
using Herald.Publications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Engine;

/// <summary>
/// Runs one try of one publication and keeps the record straight: takes the lease, stores the exact
/// payload, publishes through <see cref="IPublishingEngine"/>, reconciles an unknown outcome, applies the
/// retry policy, and saves the attempt and the new status (DESIGN.md, "The flow", steps 3–6).
/// </summary>
public sealed class PublicationRunner(
    IPublicationStore store,
    IPublishingEngine engine,
    PlatformRegistry registry,
    TimeProvider timeProvider,
    ILogger<PublicationRunner>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<PublicationRunner>.Instance;

    /// <summary>How long a worker holds a publication before another may take it over.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromMinutes(5);

    public RetryPolicy RetryPolicy { get; init; } = RetryPolicy.Default;

    /// <summary>Publishes <paramref name="publication"/> now and returns what came of this try.</summary>
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

        var result = await engine.PublishAsync(content, account, publication.IdempotencyKey, cancellationToken);
        var ended = timeProvider.GetUtcNow();
        var error = result.Error;

        switch (result.Outcome)
        {
            case PublishOutcomeKind.Published:
                publication.MarkPublished(result.ExternalId, result.Url, ended);
                break;
            case PublishOutcomeKind.ManualActionRequired:
                publication.AwaitManualAction(result.Draft ?? "", ended);
                break;
            case PublishOutcomeKind.Transient or PublishOutcomeKind.RateLimited:
                ScheduleRetryOrFail(publication, result.Outcome, error ?? "", result.RetryAfter, ended);
                break;
            case PublishOutcomeKind.Unknown:
                result = await ReconcileAsync(adapter, publication, content, account, result, cancellationToken);
                break;
            default:
                publication.MarkFailed(result.Outcome, error ?? "", ended);
                break;
        }

        await store.AddAttemptAsync(
            new Attempt
            {
                PublicationId = publication.Id,
                Number = publication.AttemptCount,
                StartedAt = started,
                EndedAt = ended,
                Outcome = result.Outcome,
                HttpStatus = result.HttpStatus,
                Error = error,
            },
            cancellationToken);
        await store.SavePublicationAsync(publication, cancellationToken);
        HeraldLog.AttemptEnded(_logger, publication.Id.ToString(), publication.Platform, publication.AttemptCount, publication.Status);
        return result;
    }

    /// <summary>
    /// The request may or may not have reached the platform. Never resend blindly: look first.
    /// </summary>
    private async Task<PublishResult> ReconcileAsync(
        IPlatformAdapter adapter,
        Publication publication,
        Content content,
        Account account,
        PublishResult unknown,
        CancellationToken cancellationToken)
    {
        ExistingPostLookup lookup;
        try
        {
            lookup = await adapter.FindExistingAsync(new PublishRequest(content, account, publication.IdempotencyKey), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            lookup = ExistingPostLookup.CannotTell($"the lookup failed ({ex.GetType().Name})");
        }

        var now = timeProvider.GetUtcNow();
        switch (lookup.State)
        {
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
                        account.Credentials.SecretValues),
                    now);
                return unknown;
        }
    }

    private void ScheduleRetryOrFail(
        Publication publication,
        PublishOutcomeKind kind,
        string error,
        TimeSpan? retryAfter,
        DateTimeOffset now)
    {
        var policy = RetryPolicy with { MaxRetries = publication.MaxRetries };
        if (publication.RetryCount >= policy.MaxRetries)
        {
            publication.MarkFailed(kind, error, now);
            return;
        }

        publication.ScheduleRetry(now + policy.DelayFor(publication.RetryCount + 1, retryAfter), kind, error, now);
    }
}
