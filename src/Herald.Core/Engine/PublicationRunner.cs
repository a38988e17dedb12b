using System.Threading.RateLimiting;
using Herald.Accounts;
using Herald.Contents;
using Herald.Media;
using Herald.Platforms;
using Herald.Publications;
using Herald.Workers;
using Herald.Workers.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Engine;

/// <summary>
/// The one owner of an attempt's life, for the workers and the inline <c>herald post</c> alike: look up a send
/// that may have taken effect → take the rate-limit permits → mark the send started → send within the attempt
/// budget → confirm thread parts → reconcile an unknown outcome → apply the retry policy → save the outcome with
/// its attempt row; or defer, hand back on shutdown, and give up to review. Callers only orchestrate
/// (docs/architecture.md, "One attempt").
/// </summary>
public sealed class PublicationRunner(
    IPublicationStore store,
    IPublishingEngine engine,
    PlatformRegistry registry,
    TimeProvider timeProvider,
    ILogger<PublicationRunner>? logger = null,
    RetryPolicies? retryPolicies = null,
    WorkerOptions? options = null,
    IPublishRateLimiters? limiters = null,
    IMediaStore? media = null)
{
    /// <summary>A platform's wait beyond this is not obeyed blindly: a person looks (one header could park an account for years).</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromHours(24);

    private readonly ILogger _logger = logger ?? NullLogger<PublicationRunner>.Instance;
    private readonly RetryPolicies _retryPolicies = retryPolicies ?? new RetryPolicies();
    private readonly WorkerOptions _options = options ?? new WorkerOptions();

    /// <summary>How long a worker holds a publication before another may take it over.</summary>
    public TimeSpan LeaseDuration => _options.LeaseDuration;

    /// <summary>
    /// Takes <paramref name="publication"/> under a fresh lease owned by <paramref name="workerId"/> and runs one
    /// attempt (the library's and tests' inline path).
    /// </summary>
    public async Task<PublishOutcome> RunAsync(
        Publication publication,
        Content content,
        Account account,
        string workerId,
        CancellationToken cancellationToken = default)
    {
        var lease = Claim(publication, workerId);
        // A send that may have taken effect, or a thread with parts out, keeps the payload it went out with.
        if (publication.UncertainSince is null && publication.ThreadPartIds.Count == 0 && registry.TryResolve(account.Platform, out var adapter))
        {
            publication.SetPayload(adapter.Render(content, account).Body, timeProvider.GetUtcNow());
        }

        // The lease and payload are on disk before anything is sent: a crash from here on is recoverable.
        await store.SavePublicationAsync(publication, cancellationToken);
        // Cancelling this call abandons the attempt where it stands, as if the process had died: nothing more is
        // written, and the lease's expiry brings the publication back to be looked up.
        var report = await RunCoreAsync(publication, content, account, lease, cancellationToken, abandon: cancellationToken);
        return report.Outcome ?? OutcomeOf(publication);
    }

    /// <summary>
    /// Marks <paramref name="publication"/> as taken by <paramref name="workerId"/> (not saved): an attempt is
    /// counted and the lease starts now. The returned lease measures its own time on a monotonic clock.
    /// </summary>
    public AttemptLease Claim(Publication publication, string workerId)
    {
        var now = timeProvider.GetUtcNow();
        publication.BeginAttempt(workerId, now + _options.LeaseDuration, now);
        return AttemptLease.Start(_options, timeProvider);
    }

    /// <summary>
    /// Runs one attempt of a publication that is <c>Publishing</c> under this worker's lease. Never throws for a
    /// platform's answer or a failure of its own: every ending is saved (or, when even that fails, left to the
    /// lease's expiry, after which the next worker counts it and looks before it sends). When
    /// <paramref name="stopping"/> fires before the send started, the publication is handed back untouched.
    /// A publication claimed ahead of its due instant (<paramref name="notBefore"/>) is made ready — looked up first
    /// if an earlier send may have taken effect — then held: its permit is taken and it is sent at that instant,
    /// never before; handed back, it is due at that instant again.
    /// </summary>
    public Task<AttemptReport> RunClaimedAsync(
        Publication publication,
        Content content,
        Account account,
        AttemptLease lease,
        CancellationToken stopping = default,
        DateTimeOffset? notBefore = null) =>
        RunCoreAsync(publication, content, account, lease, stopping, abandon: CancellationToken.None, notBefore);

    private async Task<AttemptReport> RunCoreAsync(
        Publication publication,
        Content content,
        Account account,
        AttemptLease lease,
        CancellationToken stopping,
        CancellationToken abandon,
        DateTimeOffset? notBefore = null)
    {
        var started = timeProvider.GetUtcNow();
        // Handed back, a held publication is due at its instant again, not now: another worker must not send it early.
        Task<AttemptReport> DeferHeldAsync(DateTimeOffset until) =>
            DeferAsync(publication, notBefore is { } due && due > until ? due : until);
        var sending = false;
        try
        {
            if (publication.RecoveryCount >= _options.MaxRecoveries)
            {
                return await GiveUpAsync(publication, account, started,
                    $"{publication.RecoveryCount} attempts ended without an outcome (the worker stopped or failed; " +
                    $"the last: {publication.LastError ?? "no message"}). Herald stopped trying so as not to loop. ");
            }

            if (!registry.TryResolve(account.Platform, out var adapter))
            {
                return await EndAsync(publication, started, PublishOutcome.Permanent(new UnknownPlatformException(account.Platform, registry.PlatformIds.ToList()).Message));
            }

            var request = RequestFor(publication, content, account);
            var lookedUp = false;
            if (!lease.CanStartAttempt)
            {
                // Too little lease left even to look (a late item of a long batch): back to the queue, nothing counted.
                return await DeferHeldAsync(timeProvider.GetUtcNow());
            }

            if (publication.UncertainSince is not null)
            {
                // An earlier send may have taken effect: look before anything is sent again.
                stopping.ThrowIfCancellationRequested();
                lookedUp = true;
                // On disk before the platform is asked: a worker that dies while looking has its attempt counted.
                // Not cancelled by stopping once begun: a save that commits as it is cancelled would leave this
                // process a stale version, and its hand-back would then fail and wait out the lease.
                publication.BeginLookup(timeProvider.GetUtcNow());
                await store.SavePublicationAsync(publication, CancellationToken.None);
                using var lookupBudget = lease.NewBudget(timeProvider, abandon);
                var lookup = await LookAsync(adapter, publication, request, lookupBudget.Token);
                var now = timeProvider.GetUtcNow();
                switch (lookup.State)
                {
                    case ExistingPostState.Found when adapter.Platform.Capabilities.SupportsThreads && lookup.ExternalId is { } partId:
                        publication.ResolveUncertainty();
                        await request.OnPartConfirmed(partId, stopping);
                        break;
                    case ExistingPostState.Found:
                        publication.MarkPublished(lookup.ExternalId, lookup.Url, now);
                        return await SaveAsync(publication, started,
                            new PublishOutcome { Kind = PublishOutcomeKind.Published, ExternalId = lookup.ExternalId, Url = lookup.Url },
                            "An earlier send had taken effect: the post was found on the platform.");
                    case ExistingPostState.NotFound:
                        publication.ResolveUncertainty();
                        if (publication.ThreadPartIds.Count == 0)
                        {
                            // The earlier send did not take effect: what goes out now is rendered afresh, as for any
                            // send (an account setting may have changed since), and stored with the send's mark.
                            publication.SetPayload(adapter.Render(content, account).Body, now);
                        }

                        break;
                    default:
                        return await GiveUpAsync(publication, account, started,
                            $"An earlier send may have taken effect, and Herald cannot tell whether the post exists: {lookup.Reason} ");
                }
            }

            if (notBefore is { } dueAt)
            {
                // Held ready: released at its due instant, never before it. The permit is taken after, at the instant
                // the platform will see the request, so that rate limits count it when it is sent.
                // A timer may fire a hair early against the clock it is compared with: it is read again each time.
                while (dueAt - timeProvider.GetUtcNow() is var wait && wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, timeProvider, stopping);
                }

                // The attempt's history row starts when it was released, the instant its post was due.
                started = timeProvider.GetUtcNow();
            }

            // One permit per request the platform will see: a thread of n parts is n writes. Where image uploads have a
            // limit of their own (Mastodon: 30 per 30 minutes), also one there per image still to upload.
            var limiter = limiters?.For(publication.Platform, publication.AccountId);
            var permits = limiter is null ? 0 : PartsLeft(adapter, publication, content, account);
            using var permit = limiter is null || !lease.CanStartAttempt ? null : await limiter.AcquireAsync(permits, stopping);
            RateLimitLease? uploadPermit;
            try
            {
                uploadPermit = permit is { IsAcquired: false } || !lease.CanStartAttempt ? null : await AcquireUploadsAsync(adapter, publication, content, stopping);
            }
            catch
            {
                PublishRateLimiter.ReturnUnused(permit); // nothing was sent
                throw;
            }

            using var uploadLease = uploadPermit;
            if (permit is { IsAcquired: false } || uploadPermit is { IsAcquired: false } || !lease.CanStartAttempt)
            {
                // No permit (or too little lease left to finish safely): nothing is sent and no retry is used, and a
                // permit granted on one key is given back unused, so waiting for the other costs nothing.
                var now = timeProvider.GetUtcNow();
                var until = (permit is { IsAcquired: false } ? permit : uploadPermit) is { IsAcquired: false } refused
                            && refused.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? now + wait : now;
                PublishRateLimiter.ReturnUnused(permit);
                PublishRateLimiter.ReturnUnused(uploadPermit);
                return await DeferHeldAsync(until);
            }

            stopping.ThrowIfCancellationRequested();
            var uncertainBefore = lookedUp || publication.LastErrorKind == PublishOutcomeKind.Unknown || publication.RecoveryCount > 0;
            publication.BeginSend(timeProvider.GetUtcNow());
            // From this write on, a crash or a lost answer leaves the row marked: the next try looks it up first.
            await store.SavePublicationAsync(publication, stopping);
            sending = true;

            using var budget = lease.NewBudget(timeProvider, abandon);
            // Built again from the publication as it is now: a lookup may have confirmed a part (the request built
            // before it would start the thread again from its first part).
            var result = await SendAsync(adapter, publication, RequestFor(publication, content, account), uncertainBefore, budget.Token);
            var report = await SaveAsync(publication, started, result, null);
            // A 429 on an upload holds back the account's uploads where the platform limits them apart, not its posts.
            var asked = result.FromUpload ? UploadLimiterOf(publication) : null;
            await ParkIfAskedAsync(asked ?? limiter, result);
            return report;
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !sending)
        {
            // The worker is stopping and nothing was sent in this attempt: back to the queue, as if never claimed
            // (a send still marked uncertain keeps its mark, and is looked up by whoever takes it next).
            return await DeferHeldAsync(timeProvider.GetUtcNow());
        }
        catch (PublicationConflictException)
        {
            HeraldLog.LostLease(_logger, publication.Id.ToString());
            return new AttemptReport(null, Rescheduled: false, Saved: false);
        }
        catch (Exception ex)
        {
            return await EndWithoutOutcomeAsync(publication, account, started, ex, sending, notBefore);
        }
    }

    /// <summary>
    /// Sends, and settles an unknown outcome in the same attempt: a found thread part is confirmed and the rest
    /// sent (as often as answers get lost, each one looked up — a second lost answer is not a reason to give up);
    /// a found post is published; not found is retried; "cannot tell" goes to review.
    /// </summary>
    private async Task<PublishOutcome> SendAsync(
        IPlatformAdapter adapter, Publication publication, PublishRequest request, bool uncertainBefore, CancellationToken cancellationToken)
    {
        var result = await engine.PublishAsync(request, cancellationToken);
        var refusedAsDuplicate = false;
        for (var lookups = 0; ; lookups++)
        {
            var now = timeProvider.GetUtcNow();
            if (result.RefusedAsDuplicate && (uncertainBefore || lookups > 0))
            {
                // "Already posted" after a send that may have taken effect: that send is the post. Look it up.
                refusedAsDuplicate = true;
                result = result with { Kind = PublishOutcomeKind.Unknown };
            }

            if (result.Kind != PublishOutcomeKind.Unknown)
            {
                ApplyOutcome(publication, result, now);
                return result;
            }

            var lookup = await LookAsync(adapter, publication, request with { ConfirmedParts = publication.ThreadPartIds }, cancellationToken);
            now = timeProvider.GetUtcNow();
            switch (lookup.State)
            {
                case ExistingPostState.Found when adapter.Platform.Capabilities.SupportsThreads && lookup.ExternalId is { } partId
                                                   && lookups <= publication.ThreadPartIds.Count + 1 + MaxThreadLookups:
                    await request.OnPartConfirmed(partId, cancellationToken);
                    result = await engine.PublishAsync(request with { ConfirmedParts = publication.ThreadPartIds }, cancellationToken);
                    continue;
                case ExistingPostState.Found:
                    publication.MarkPublished(lookup.ExternalId, lookup.Url, now);
                    // The attempt's own outcome stays Unknown in its history; the lookup settled it.
                    return result.FoundAs(lookup.ExternalId, lookup.Url);
                case ExistingPostState.NotFound when refusedAsDuplicate:
                    // The platform says it has the post and the lookup cannot find it (a lagging timeline, say):
                    // sending again would be refused again, and "Failed" would invite a manual repost.
                    publication.FlagForReview(
                        $"{result.Error} The platform says it already has this post, and Herald's lookup did not find it. Check the platform, then mark it posted or retry.",
                        now);
                    return result;
                case ExistingPostState.NotFound:
                    publication.ResolveUncertainty();
                    ScheduleRetryOrFail(publication, PublishOutcomeKind.Unknown, $"{result.Error} It was not found on the platform; it will be sent again.", result.RetryAfter, now);
                    return result;
                default:
                    publication.FlagForReview(
                        ErrorSanitizer.Sanitize(
                            $"{result.Error} Herald cannot tell whether the post exists: {lookup.Reason} Check the platform, then mark it posted or retry.",
                            request.Account.Credentials.SecretValues),
                        now);
                    return result;
            }
        }
    }

    /// <summary>Lookups one attempt may make beyond one per thread part: every loop ends.</summary>
    private const int MaxThreadLookups = 3;

    /// <summary>Moves the publication on after an answer that needs no lookup.</summary>
    private void ApplyOutcome(Publication publication, PublishOutcome result, DateTimeOffset now)
    {
        switch (result.Kind)
        {
            case PublishOutcomeKind.Published:
                publication.MarkPublished(result.ExternalId, result.Url, now);
                break;
            case PublishOutcomeKind.ManualActionRequired:
                publication.AwaitManualAction(result.Draft ?? "", now);
                break;
            case PublishOutcomeKind.Transient or PublishOutcomeKind.RateLimited:
                // The platform answered and did nothing: what this send did is known.
                publication.ResolveUncertainty();
                ScheduleRetryOrFail(publication, result.Kind, result.Error ?? "", result.RetryAfter, now);
                break;
            default:
                publication.ResolveUncertainty();
                publication.MarkFailed(result.Kind, result.Error ?? "", now);
                break;
        }
    }

    /// <summary>
    /// DESIGN step 5: retry at <c>max(min(base × 2^(n−1), cap), Retry-After)</c>, or Failed after max_retries. A
    /// platform's wait beyond <see cref="LongestWait"/> goes to review instead of parking the post for years.
    /// </summary>
    private void ScheduleRetryOrFail(Publication publication, PublishOutcomeKind kind, string error, TimeSpan? retryAfter, DateTimeOffset now)
    {
        if (retryAfter > LongestWait)
        {
            publication.FlagForReview(
                $"{error} The platform asked Herald to wait {retryAfter.Value.TotalHours:0} hours, longer than the {LongestWait.TotalHours:0} hours Herald waits on its own; retry it when the platform allows.",
                now);
            return;
        }

        var policy = _retryPolicies.For(publication.Platform) with { MaxRetries = publication.MaxRetries };
        if (publication.RetryCount >= policy.MaxRetries)
        {
            publication.MarkFailed(kind, error, now);
            return;
        }

        publication.ScheduleRetry(now + policy.DelayFor(publication.RetryCount + 1, retryAfter), kind, error, now);
    }

    /// <summary>Saves the publication's new state with this attempt's row, in one transaction.</summary>
    private async Task<AttemptReport> SaveAsync(Publication publication, DateTimeOffset started, PublishOutcome result, string? note)
    {
        var ended = timeProvider.GetUtcNow();
        var error = note is null ? result.Error : result.Error is null ? note : $"{result.Error} {note}";
        // Not cancelled: an outcome that is known is always kept.
        await store.SaveOutcomeAsync(publication, AttemptOf(publication, started, ended, result.Kind, result.HttpStatus, error), CancellationToken.None);
        HeraldLog.AttemptEnded(_logger, publication.Id.ToString(), publication.Platform, publication.AttemptCount, publication.Status);
        return new AttemptReport(result, publication.Status == PublicationStatus.RetryScheduled);
    }

    private Task<AttemptReport> EndAsync(Publication publication, DateTimeOffset started, PublishOutcome result)
    {
        ApplyOutcome(publication, result, timeProvider.GetUtcNow());
        return SaveAsync(publication, started, result, null);
    }

    private Task<AttemptReport> GiveUpAsync(Publication publication, Account account, DateTimeOffset started, string reason)
    {
        var text = ErrorSanitizer.Sanitize($"{reason}Check the platform, then mark it posted (herald posted) or retry (herald retry).", account.Credentials.SecretValues);
        publication.FlagForReview(text, timeProvider.GetUtcNow());
        return SaveAsync(publication, started, PublishOutcome.Unknown(text), null);
    }

    /// <summary>
    /// Gives a publication this caller claimed but never started back to the queue at once, due now, its claim not
    /// counted as an attempt (the caller is stopping), so no worker waits for the lease to expire and counts it lost.
    /// </summary>
    public Task<AttemptReport> HandBackAsync(Publication publication) => DeferAsync(publication, timeProvider.GetUtcNow());

    private async Task<AttemptReport> DeferAsync(Publication publication, DateTimeOffset until)
    {
        try
        {
            publication.Defer(until, attemptWasCounted: true, timeProvider.GetUtcNow());
            await store.SavePublicationAsync(publication, CancellationToken.None);
            HeraldLog.Deferred(_logger, publication.Id.ToString(), until);
            return new AttemptReport(null, Rescheduled: true);
        }
        catch (Exception ex)
        {
            // Not handed back: it stays under this lease, and its expiry brings it back (looked up if it was uncertain).
            HeraldLog.RunFailed(_logger, publication.Id.ToString(), ExceptionChain(ex), "it could not be handed back to the queue");
            return new AttemptReport(null, Rescheduled: false, Saved: false);
        }
    }

    /// <summary>
    /// The attempt ended in a failure of Herald's own (a store error, a bug, an attempt out of time): it is counted
    /// and saved with its attempt row, due again after the retry delay — looked up first if the send may have
    /// taken effect — or in review once it happened <see cref="WorkerOptions.MaxRecoveries"/> times. When even that
    /// cannot be saved, the row stays under this lease; when it expires the next worker counts it the same way.
    /// </summary>
    private async Task<AttemptReport> EndWithoutOutcomeAsync(
        Publication publication, Account account, DateTimeOffset started, Exception ex, bool sending, DateTimeOffset? notBefore)
    {
        var secrets = account.Credentials.SecretValues;
        var kind = ExceptionChain(ex);
        HeraldLog.RunFailed(_logger, publication.Id.ToString(), kind, ErrorSanitizer.Sanitize(ex.Message, secrets));
        if (publication.Status != PublicationStatus.Publishing)
        {
            // The failure came after the state moved on (its save failed): leave the row to its lease.
            return new AttemptReport(null, Rescheduled: false, Saved: false);
        }

        var now = timeProvider.GetUtcNow();
        var what = sending ? "The attempt ended without an outcome" : "The attempt failed before anything was sent";
        var error = ErrorSanitizer.Sanitize(
            ex is LookupUnavailableException
                ? $"{what}: the post could not be looked up ({ex.Message}); Herald looks again before it sends."
                : $"{what} ({kind}).",
            secrets);
        try
        {
            if (publication.RecoveryCount + 1 >= _options.MaxRecoveries)
            {
                publication.FlagForReview(
                    ErrorSanitizer.Sanitize($"{error} That happened {publication.RecoveryCount + 1} times; Herald stopped trying so as not to loop. Check the platform, then mark it posted or retry.", secrets),
                    now);
            }
            else
            {
                var delay = (_retryPolicies.For(publication.Platform) with { MaxRetries = int.MaxValue }).DelayFor(publication.RecoveryCount + 1, null);
                // A held publication that failed before its instant is not tried again before that instant either.
                var retryAt = notBefore is { } due && due > now + delay ? due : now + delay;
                publication.EndWithoutOutcome(retryAt, error, now);
            }

            await store.SaveOutcomeAsync(publication, AttemptOf(publication, started, now, PublishOutcomeKind.Unknown, null, publication.LastError), CancellationToken.None);
            return new AttemptReport(null, publication.Status == PublicationStatus.RetryScheduled);
        }
        catch (Exception saveFailure)
        {
            HeraldLog.RunFailed(_logger, publication.Id.ToString(), ExceptionChain(saveFailure), "its ending could not be saved either; the lease's expiry recovers it");
            return new AttemptReport(null, Rescheduled: false, Saved: false);
        }
    }

    private async Task ParkIfAskedAsync(PublishRateLimiter? limiter, PublishOutcome result)
    {
        // The platform said "too many", or that none are left: every worker holds back this key until it says.
        var hold = result.Kind == PublishOutcomeKind.RateLimited ? result.RetryAfter ?? TimeSpan.FromMinutes(1) : result.QuotaExhaustedFor;
        if (hold is { } holdFor && limiter is not null)
        {
            var capped = holdFor > LongestWait ? LongestWait : holdFor;
            try
            {
                await limiter.ParkAsync(timeProvider.GetUtcNow() + capped, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // The outcome is saved; a lost park only means the next try may meet the platform's 429.
                HeraldLog.RunFailed(_logger, "(rate limit)", ExceptionChain(ex), "the platform's wait could not be shared with other workers");
            }
        }
    }

    /// <summary>
    /// Permits for the images this attempt will upload, where the platform limits uploads apart; null when it does not
    /// or there is none to upload. Those are the first post's images without a stored upload of the same bytes (none
    /// once a part is confirmed: images go on the first post), or with one older than the platform lets Herald reuse
    /// (<see cref="PlatformCapabilities.UploadsReusableFor"/>), which the adapter uploads again.
    /// </summary>
    private async Task<RateLimitLease?> AcquireUploadsAsync(IPlatformAdapter adapter, Publication publication, Content content, CancellationToken cancellationToken)
    {
        // An upload the platform no longer keeps (X: after 20 hours) is made again, so it needs a permit again.
        var keptSince = adapter.Platform.Capabilities.UploadsReusableFor is { } reusableFor ? timeProvider.GetUtcNow() - reusableFor : DateTimeOffset.MinValue;
        var uploads = publication.ThreadPartIds.Count > 0
            ? 0
            : Enumerable.Range(0, content.Images.Count).Count(i => !publication.UploadedMedia.Any(m =>
                m.Part == 0 && m.Image == i && m.Sha256 == content.Images[i].Sha256 && m.UploadedAt > keptSince));
        var limiter = uploads == 0 ? null : UploadLimiterOf(publication);
        return limiter is null ? null : await limiter.AcquireAsync(uploads, cancellationToken);
    }

    /// <summary>The limiter of the account's image uploads; null when the platform does not limit them apart.</summary>
    private PublishRateLimiter? UploadLimiterOf(Publication publication) =>
        limiters?.For(RateLimitPolicies.Uploads(publication.Platform), publication.AccountId);

    /// <summary>How many requests the rest of this publication makes (thread parts not yet confirmed), at least one.</summary>
    private static int PartsLeft(IPlatformAdapter adapter, Publication publication, Content content, Account account)
    {
        try
        {
            var parts = adapter.Render(content, account).Parts.Count;
            return Math.Max(1, parts - publication.ThreadPartIds.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return 1;
        }
    }

    /// <summary>The exception's type and its inner exceptions' types, outermost first (a cause often hides inside).</summary>
    internal static string ExceptionChain(Exception ex)
    {
        var names = new List<string>();
        for (var current = ex; current is not null && names.Count < 4; current = current.InnerException)
        {
            names.Add(current.GetType().Name);
        }

        return string.Join(" ← ", names);
    }

    /// <summary>
    /// What to report for an attempt that ended without a platform's answer (a deferral, a failure of Herald's own):
    /// the publication's state, as an outcome.
    /// </summary>
    public static PublishOutcome OutcomeOf(Publication publication) => publication.Status switch
    {
        PublicationStatus.Published => new()
        {
            Kind = PublishOutcomeKind.Published,
            ExternalId = publication.ExternalId,
            Url = publication.Url,
        },
        PublicationStatus.AwaitingManualAction => PublishOutcome.ManualActionRequired(publication.Payload ?? ""),
        _ => new()
        {
            Kind = publication.LastErrorKind ?? PublishOutcomeKind.Transient,
            ExternalId = publication.ExternalId,
            Url = publication.Url,
            Error = publication.LastError ?? (publication.Status is PublicationStatus.Scheduled or PublicationStatus.RetryScheduled
                ? $"Not sent yet: waiting until {publication.NextAttemptAt:u} for a rate-limit permit or a longer lease."
                : null),
        },
    };

    private static Attempt AttemptOf(Publication publication, DateTimeOffset started, DateTimeOffset ended, PublishOutcomeKind outcome, int? httpStatus, string? error) => new()
    {
        PublicationId = publication.Id,
        AccountId = publication.AccountId,
        Number = publication.AttemptCount,
        StartedAt = started,
        EndedAt = ended,
        Outcome = outcome,
        HttpStatus = httpStatus,
        Error = error,
    };

    /// <summary>
    /// The request for this try: the publication's key, the thread parts already confirmed, the stored payload a
    /// resumed thread continues from, and a callback that stores each newly confirmed part at once.
    /// </summary>
    private PublishRequest RequestFor(Publication publication, Content content, Account account) =>
        new(content, account, publication.IdempotencyKey)
        {
            ConfirmedParts = publication.ThreadPartIds,
            UncertainSince = publication.UncertainSince,
            StoredPayload = publication.Payload,
            OnPartConfirmed = async (remoteId, cancellationToken) =>
            {
                publication.ConfirmThreadPart(remoteId, timeProvider.GetUtcNow());
                await store.SavePublicationAsync(publication, cancellationToken);
            },
            UploadedMedia = publication.UploadedMedia,
            OnMediaUploaded = async (uploaded, cancellationToken) =>
            {
                // Stored before the create is sent, so a retry attaches it instead of uploading it again.
                publication.RecordUploadedMedia(uploaded, timeProvider.GetUtcNow());
                await store.SavePublicationAsync(publication, cancellationToken);
            },
            OpenMedia = media is null
                ? static (_, _) => Task.FromResult<Stream?>(null)
                : media.OpenReadAsync,
        };

    private static async Task<ExistingPostLookup> LookAsync(
        IPlatformAdapter adapter, Publication publication, PublishRequest request, CancellationToken cancellationToken)
    {
        // A lookup that could not be made (a network failure, a read refused for now, a bug) is not an answer: the
        // attempt ends without an outcome, keeps its uncertainty, and is tried again later (counted: it cannot loop).
        var lookup = await adapter.FindExistingAsync(
            request with { ConfirmedParts = publication.ThreadPartIds, UncertainSince = publication.UncertainSince ?? request.UncertainSince },
            cancellationToken);
        return lookup.State == ExistingPostState.Unavailable ? throw new LookupUnavailableException(lookup.Reason) : lookup;
    }

    /// <summary>The platform could not be asked now; the attempt ends without an outcome and is looked up again later.</summary>
    private sealed class LookupUnavailableException(string? reason) : Exception(reason ?? "The lookup could not be made.");
}

/// <summary>How an attempt ended, for the orchestrating caller.</summary>
/// <param name="Outcome">The platform's answer, when there was one.</param>
/// <param name="Rescheduled">True when a new due time was written (a retry or a deferral): dispatchers should look again.</param>
/// <param name="Saved">True when the publication's new state is stored; false when it stays under the lease (the save failed, or another worker took it over).</param>
public sealed record AttemptReport(PublishOutcome? Outcome, bool Rescheduled, bool Saved = true);
