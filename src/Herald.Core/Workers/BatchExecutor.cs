using Herald.Accounts;
using Herald.Contents;
using Herald.Engine;
using Herald.Platforms;
using Herald.Publications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Workers;

/// <summary>
/// Runs one claimed batch (the body of the Hangfire job), and only orchestrates: takes ownership, loads the batch
/// in one query per table, stores every changed payload in one transaction, then hands each publication to
/// <see cref="PublicationRunner"/>, which owns its attempt from lookup to saved outcome, several at once.
/// </summary>
public sealed class BatchExecutor(
    IServiceScopeFactory scopes,
    IPublicationQueue queue,
    IAccountEndpointResolver endpoints,
    IDueNotifier notifier,
    DueSignal localSignal,
    PlatformRegistry registry,
    WorkerOptions options,
    TimeProvider timeProvider,
    ILogger<BatchExecutor> logger)
{
    private long _runsStarted;

    /// <summary>Raised after each publication of a batch is saved, with its new state (<c>herald work</c> prints it).</summary>
    public event Action<Publication>? PublicationFinished;

    /// <summary>Publications handed to the runner so far, each after its batch was loaded and prepared (tests read it).</summary>
    public long RunsStarted => Interlocked.Read(ref _runsStarted);

    public async Task RunAsync(ClaimedBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            // Only a starting worker's warm-up hands over a batch that names nothing: no worker was taken, so the
            // dispatcher is not woken either.
            return;
        }

        var runId = $"run-{Guid.NewGuid():N}";
        var ids = batch.Fresh.Concat(batch.Recovered).Select(g => new PublicationId(g)).ToList();
        // Measured from before the lease is written or kept: the local deadline can only be earlier than the stored
        // one. A job that starts moments after its claim keeps the claim's lease (its rows are then updated in place),
        // which lasts at least LeaseDuration less the kept part from now; an older one is renewed.
        var keptFor = options.ClaimLeaseKeptFor;
        var lease = AttemptLease.Start(options, timeProvider, options.LeaseDuration - keptFor);
        var leaseUntil = timeProvider.GetUtcNow() + options.LeaseDuration;
        var owned = await queue.TakeOwnershipAsync(ids, batch.ClaimToken, runId, leaseUntil, leaseUntil - keptFor, cancellationToken);
        if (owned.Count == 0)
        {
            // A re-run of a job whose claim was already taken over: the rows belong to someone else now.
            localSignal.Set();
            return;
        }

        var work = await PrepareAsync(owned, batch.NotBefore, cancellationToken);
        var rescheduled = 0;
        // Not cancelled by shutdown: a stopping worker hands back what it has not started (the runner does) and
        // lets what it is sending finish within its attempt budget. Publications held for their due instant all
        // wait at once, so that all of them go out at that instant.
        await Parallel.ForEachAsync(
            work,
            new ParallelOptions { MaxDegreeOfParallelism = batch.NotBefore is { Count: > 0 } ? Math.Max(options.ConcurrencyPerBatch, work.Count) : options.ConcurrencyPerBatch },
            async (item, _) =>
            {
                if (await RunOneAsync(item, lease, cancellationToken))
                {
                    Interlocked.Increment(ref rescheduled);
                }
            });

        if (rescheduled > 0)
        {
            // New due times were written: every dispatcher recomputes when to wake.
            await notifier.NotifyAsync(cancellationToken: CancellationToken.None);
        }

        // A worker is free: this process's dispatcher may claim more.
        localSignal.Set();
    }

    private sealed record WorkItem(Publication Publication, Content Content, Account? Account, string? Unservable, DateTimeOffset? NotBefore);

    /// <summary>Loads the batch and stores the payload of every publication whose render changed, before anything is sent.</summary>
    private async Task<List<WorkItem>> PrepareAsync(
        IReadOnlyList<PublicationId> owned, IReadOnlyDictionary<Guid, DateTimeOffset>? notBefore, CancellationToken cancellationToken)
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
            // A send that may have taken effect, or a thread with parts out, keeps the payload it went out with.
            var mayRender = publication.UncertainSince is null && publication.ThreadPartIds.Count == 0;
            if (account is not null && mayRender && registry.TryResolve(account.Platform, out var adapter))
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

            DateTimeOffset? dueAt = notBefore is not null && notBefore.TryGetValue(publication.Id.Value, out var held) ? held : null;
            work.Add(new WorkItem(publication, content, account, reason, dueAt));
        }

        await store.SaveChangesAsync(cancellationToken);
        return work;
    }

    /// <summary>Runs one publication through the runner; true when it was given a new due time (a retry or a deferral).</summary>
    private async Task<bool> RunOneAsync(WorkItem item, AttemptLease lease, CancellationToken stopping)
    {
        var publication = item.Publication;
        var saved = false;
        Interlocked.Increment(ref _runsStarted);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
            var runner = scope.ServiceProvider.GetRequiredService<PublicationRunner>();
            store.Attach(publication);
            if (item.Account is not { } account)
            {
                await FailUnservableAsync(store, publication, item.Unservable ?? "The account cannot be served here.");
                saved = true;
                return false;
            }

            var report = await runner.RunClaimedAsync(publication, item.Content, account, lease, stopping, item.NotBefore);
            saved = report.Saved;
            return report.Rescheduled;
        }
        catch (Exception ex)
        {
            // Only the unservable path's save can get here (the runner saves or logs every ending itself): the row
            // stays under this lease, and the next worker counts the attempt when it expires.
            HeraldLog.RunFailed(logger, publication.Id.ToString(), PublicationRunner.ExceptionChain(ex), "the publication's ending could not be saved");
            return false;
        }
        finally
        {
            // Only a state that is stored is reported: a line must never show what a failed save did not keep.
            if (saved)
            {
                PublicationFinished?.Invoke(publication);
            }
        }
    }

    /// <summary>Its attempt was counted at the claim: it gets its row in the history, with the reason.</summary>
    private async Task FailUnservableAsync(IPublicationStore store, Publication publication, string reason)
    {
        var failedAt = timeProvider.GetUtcNow();
        publication.MarkFailed(PublishOutcomeKind.Permanent, reason, failedAt);
        await store.SaveOutcomeAsync(
            publication,
            new Attempt
            {
                PublicationId = publication.Id,
                AccountId = publication.AccountId,
                Number = publication.AttemptCount,
                StartedAt = failedAt,
                EndedAt = failedAt,
                Outcome = PublishOutcomeKind.Permanent,
                Error = reason,
            },
            CancellationToken.None);
    }
}
