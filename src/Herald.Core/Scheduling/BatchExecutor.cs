using System.Threading.RateLimiting;
using Herald.Accounts;
using Herald.Contents;
using Herald.Engine;
using Herald.Platforms;
using Herald.Publications;
using Herald.Scheduling.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Scheduling;

/// <summary>
/// Runs one claimed batch (the body of the Hangfire job): takes ownership, loads the batch in one query per
/// table, stores every payload in one transaction, then runs the publications concurrently — each through the
/// rate limiter of its (platform, account), reconciled first when recovered, its outcome saved the moment it
/// is known by <see cref="PublicationRunner"/>.
/// </summary>
public sealed class BatchExecutor(
    IServiceScopeFactory scopes,
    IPublicationQueue queue,
    IPublishRateLimiters limiters,
    IAccountEndpointResolver endpoints,
    IDueNotifier notifier,
    DueSignal localSignal,
    PlatformRegistry registry,
    WorkerOptions options,
    TimeProvider timeProvider,
    ILogger<BatchExecutor> logger)
{
    /// <summary>Raised after each publication of a batch is saved, with its new state (<c>herald work</c> prints it).</summary>
    public event Action<Publication>? PublicationFinished;


    public async Task RunAsync(ClaimedBatch batch, CancellationToken cancellationToken = default)
    {
        var runId = $"run-{Guid.NewGuid():N}";
        var ids = batch.Fresh.Concat(batch.Recovered).Select(g => new PublicationId(g)).ToList();
        var owned = await queue.TakeOwnershipAsync(ids, batch.ClaimToken, runId, timeProvider.GetUtcNow() + options.LeaseDuration, cancellationToken);
        if (owned.Count == 0)
        {
            // A re-run of a job whose claim was already taken over: the rows belong to someone else now.
            localSignal.Set();
            return;
        }

        var recovered = batch.Recovered.ToHashSet();
        var work = await PrepareAsync(owned, recovered, cancellationToken);
        var rescheduled = 0;
        // Not cancelled by shutdown: a stopping worker hands back what it has not started (see RunOneAsync)
        // and lets what it is sending finish within its attempt budget.
        await Parallel.ForEachAsync(
            work,
            new ParallelOptions { MaxDegreeOfParallelism = options.ConcurrencyPerBatch },
            async (item, _) =>
            {
                if (await RunOneAsync(item, runId, cancellationToken))
                {
                    Interlocked.Increment(ref rescheduled);
                }
            });

        if (rescheduled > 0)
        {
            // New due times were written: every dispatcher recomputes when to wake.
            await notifier.NotifyAsync(CancellationToken.None);
        }

        // A worker is free: this process's dispatcher may claim more.
        localSignal.Set();
    }

    private sealed record WorkItem(Publication Publication, Content Content, Account? Account, string? Unservable, bool Recovered);

    /// <summary>Loads the batch and stores the payload of every fresh publication, before anything is sent.</summary>
    private async Task<List<WorkItem>> PrepareAsync(IReadOnlyList<PublicationId> owned, HashSet<Guid> recovered, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
        var loaded = await store.LoadBatchAsync(owned, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var work = new List<WorkItem>(loaded.Publications.Count);
        foreach (var publication in loaded.Publications)
        {
            var content = loaded.Contents[publication.ContentId];
            var stored = loaded.Accounts[publication.AccountId];
            // Credentials this process cannot read fail their own publications, never the batch.
            var reason = stored.Credentials.UnreadableReason;
            var account = reason is null ? endpoints.Resolve(stored, out reason) : null;
            var isRecovered = recovered.Contains(publication.Id.Value);
            if (account is not null && !isRecovered && registry.TryResolve(account.Platform, out var adapter))
            {
                try
                {
                    // Stored at scheduling time; written again only when it changed (an account setting, say).
                    if (adapter.Render(content, account).Body is var payload && payload != publication.Payload)
                    {
                        publication.SetPayload(payload, now);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One publication that cannot be rendered fails alone, not its whole batch.
                    (account, reason) = (null, $"Herald could not render it for {adapter.Platform.DisplayName} ({ex.GetType().Name}).");
                }
            }

            work.Add(new WorkItem(publication, content, account, reason, isRecovered));
        }

        await store.SaveChangesAsync(cancellationToken);
        return work;
    }

    /// <summary>
    /// Runs one publication; true when it was given a new due time (a retry or a deferral). A stopping worker
    /// (<paramref name="stopping"/>) hands a publication it has not started sending back to the queue; one it is
    /// sending finishes within its attempt budget, which always ends before the lease does, so no other worker
    /// can take it over while a request may still be on its way.
    /// </summary>
    private async Task<bool> RunOneAsync(WorkItem item, string runId, CancellationToken stopping)
    {
        var publication = item.Publication;
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
        var runner = scope.ServiceProvider.GetRequiredService<PublicationRunner>();
        store.Attach(publication);
        var sending = false;
        try
        {
            if (item.Account is not { } account)
            {
                // Its attempt was counted at the claim: it gets its row in the history, with the reason.
                var reason = item.Unservable ?? "The account cannot be served here.";
                var failedAt = timeProvider.GetUtcNow();
                publication.MarkFailed(PublishOutcomeKind.Permanent, reason, failedAt);
                await store.SaveOutcomeAsync(
                    publication,
                    new Attempt
                    {
                        PublicationId = publication.Id, Number = publication.AttemptCount, StartedAt = failedAt, EndedAt = failedAt,
                        Outcome = PublishOutcomeKind.Permanent, Error = reason,
                    },
                    CancellationToken.None);
                return false;
            }

            stopping.ThrowIfCancellationRequested();
            if (item.Recovered && await runner.ReconcileRecoveredAsync(publication, item.Content, account, stopping))
            {
                return false;
            }

            var limiter = limiters.For(publication.Platform, publication.AccountId);
            using var permit = limiter is null || Budget(publication) <= TimeSpan.Zero ? null : await limiter.AcquireAsync(1, stopping);
            var now = timeProvider.GetUtcNow();
            var budget = Budget(publication);
            if (permit is { IsAcquired: false } || budget <= TimeSpan.Zero)
            {
                // No permit (or too little lease left to finish safely): nothing is sent and no retry is used.
                var until = permit is not null && permit.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? now + wait : now;
                return await DeferAsync(item, store, until, CancellationToken.None);
            }

            if (item.Recovered)
            {
                // Not found on the platform: a new attempt, with its payload stored before it is sent.
                publication.BeginAttempt(runId, now + options.LeaseDuration, now);
                if (registry.TryResolve(account.Platform, out var adapter))
                {
                    publication.SetPayload(adapter.Render(item.Content, account).Body, now);
                }

                await store.SavePublicationAsync(publication, stopping);
                budget = Budget(publication);
            }

            using var attempt = new CancellationTokenSource(budget, timeProvider);
            sending = true;
            var result = await runner.SendClaimedAsync(publication, item.Content, account, attempt.Token);
            // The platform said "too many", or that none are left: every worker holds back this key until it says.
            var hold = result.Outcome == PublishOutcomeKind.RateLimited ? result.RetryAfter ?? TimeSpan.FromMinutes(1) : result.QuotaExhaustedFor;
            if (hold is { } holdFor && limiter is not null)
            {
                await limiter.ParkAsync(timeProvider.GetUtcNow() + holdFor, CancellationToken.None);
            }

            return publication.Status == PublicationStatus.RetryScheduled;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !sending)
        {
            // The worker is stopping and this one was not sent: back to the queue, as if never claimed.
            return await DeferAsync(item, store, timeProvider.GetUtcNow(), CancellationToken.None);
        }
        catch (PublicationConflictException)
        {
            HeraldLog.LostLease(logger, publication.Id.ToString());
            return false;
        }
        catch (Exception ex)
        {
            // Left Publishing under this run's lease (an attempt that ran out of budget, a store failure): when the
            // lease expires the publication is recovered and reconciled before anything is sent again.
            HeraldLog.RunFailed(
                logger, publication.Id.ToString(), ex.GetType().Name,
                ErrorSanitizer.Sanitize(ex.Message, item.Account?.Credentials.SecretValues ?? []));
            return false;
        }
        finally
        {
            PublicationFinished?.Invoke(publication);
        }
    }

    /// <summary>
    /// How long this attempt may take: <see cref="WorkerOptions.AttemptTimeout"/>, when that much is left of the
    /// lease beyond a safety margin (half the gap between lease and attempt timeout, at most 10 s, for clocks
    /// of several machines that differ); zero when it is not, and the publication waits for a fresh lease.
    /// </summary>
    private TimeSpan Budget(Publication publication)
    {
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(10).Ticks, (options.LeaseDuration - options.AttemptTimeout).Ticks / 2));
        var leaseLeft = (publication.LeaseExpiresAt ?? DateTimeOffset.MinValue) - timeProvider.GetUtcNow() - margin;
        return leaseLeft >= options.AttemptTimeout ? options.AttemptTimeout : TimeSpan.Zero;
    }

    private async Task<bool> DeferAsync(WorkItem item, IPublicationStore store, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var publication = item.Publication;
        publication.Defer(until, attemptWasCounted: !item.Recovered, timeProvider.GetUtcNow());
        await store.SavePublicationAsync(publication, cancellationToken);
        HeraldLog.Deferred(logger, publication.Id.ToString(), until);
        return true;
    }
}
