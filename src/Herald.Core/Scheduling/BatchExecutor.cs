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
        await Parallel.ForEachAsync(
            work,
            new ParallelOptions { MaxDegreeOfParallelism = options.ConcurrencyPerBatch, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                if (await RunOneAsync(item, runId, ct))
                {
                    Interlocked.Increment(ref rescheduled);
                }
            });

        if (rescheduled > 0)
        {
            // New due times were written: every dispatcher recomputes when to wake.
            await notifier.NotifyAsync(cancellationToken);
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
            var account = endpoints.Resolve(loaded.Accounts[publication.AccountId], out var reason);
            var isRecovered = recovered.Contains(publication.Id.Value);
            if (account is not null && !isRecovered && registry.TryResolve(account.Platform, out var adapter) &&
                adapter.Render(content, account).Body is var payload && payload != publication.Payload)
            {
                // Stored at scheduling time; written again only when it changed (an account setting, say).
                publication.SetPayload(payload, now);
            }

            work.Add(new WorkItem(publication, content, account, reason, isRecovered));
        }

        await store.SaveChangesAsync(cancellationToken);
        return work;
    }

    /// <summary>Runs one publication; true when it was given a new due time (a retry or a deferral).</summary>
    private async Task<bool> RunOneAsync(WorkItem item, string runId, CancellationToken cancellationToken)
    {
        var publication = item.Publication;
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
        var runner = scope.ServiceProvider.GetRequiredService<PublicationRunner>();
        store.Attach(publication);
        try
        {
            if (item.Account is not { } account)
            {
                publication.MarkFailed(PublishOutcomeKind.Permanent, item.Unservable ?? "The account cannot be served here.", timeProvider.GetUtcNow());
                await store.SavePublicationAsync(publication, cancellationToken);
                return false;
            }

            if (item.Recovered && await runner.ReconcileRecoveredAsync(publication, item.Content, account, cancellationToken))
            {
                return false;
            }

            var limiter = limiters.For(publication.Platform, publication.AccountId);
            var enoughLease = publication.LeaseExpiresAt - timeProvider.GetUtcNow() >= options.AttemptTimeout;
            using var permit = limiter is null || !enoughLease ? null : await limiter.AcquireAsync(1, cancellationToken);
            var now = timeProvider.GetUtcNow();
            if (permit is { IsAcquired: false } || !enoughLease)
            {
                // No permit (or too little lease left to finish safely): nothing is sent and no retry is used.
                var until = permit is not null && permit.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? now + wait : now;
                publication.Defer(until, attemptWasCounted: !item.Recovered, now);
                await store.SavePublicationAsync(publication, cancellationToken);
                HeraldLog.Deferred(logger, publication.Id.ToString(), until);
                return true;
            }

            if (item.Recovered)
            {
                // Not found on the platform: a new attempt, with its payload stored before it is sent.
                publication.BeginAttempt(runId, now + options.LeaseDuration, now);
                if (registry.TryResolve(account.Platform, out var adapter))
                {
                    publication.SetPayload(adapter.Render(item.Content, account).Body, now);
                }

                await store.SavePublicationAsync(publication, cancellationToken);
            }

            var result = await runner.SendClaimedAsync(publication, item.Content, account, cancellationToken);
            if (result.Outcome == PublishOutcomeKind.RateLimited && limiter is not null)
            {
                // The platform said "too many": every worker holds back this key until it says.
                await limiter.ParkAsync(timeProvider.GetUtcNow() + (result.RetryAfter ?? TimeSpan.FromMinutes(1)), cancellationToken);
            }

            return publication.Status == PublicationStatus.RetryScheduled;
        }
        catch (PublicationConflictException)
        {
            HeraldLog.LostLease(logger, publication.Id.ToString());
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Left Publishing under this run's lease: when it expires the publication is recovered and reconciled.
            HeraldLog.RunFailed(logger, publication.Id.ToString(), ex.GetType().Name, ErrorSanitizer.Sanitize(ex.Message));
            return false;
        }
        finally
        {
            PublicationFinished?.Invoke(publication);
        }
    }
}
