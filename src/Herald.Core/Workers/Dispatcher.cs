using Microsoft.Extensions.Logging;

namespace Herald.Workers;

/// <summary>
/// Claims due publications in batches and hands each batch to the job engine, then sleeps until the earliest
/// of: the next due time or lease expiry, a signal (a publication added, a retry or deferral written, a batch
/// finished), or the safety poll. A post due at 09:00:00 is claimed at 09:00:00: the timer is set for that
/// instant on the injected <see cref="TimeProvider"/> — or <see cref="WorkerOptions.HoldAhead"/> before it: then it
/// is claimed ahead, and the batch holds it ready until that instant.
/// </summary>
public sealed class Dispatcher(
    IPublicationQueue queue,
    IBatchSink sink,
    DueSignal signal,
    WorkerOptions options,
    TimeSpan safetyPoll,
    TimeProvider timeProvider,
    ILogger<Dispatcher> logger)
{
    private readonly int _maxPending = options.MaxPendingBatches ?? options.Count * 2;

    /// <summary>The longest wait between two looks while the dispatcher keeps failing.</summary>
    internal static readonly TimeSpan MaxFailureBackoff = TimeSpan.FromSeconds(8);

    // Looks in a row that failed: each waits twice as long as the one before (1, 2, 4, 8 s), so a worker whose
    // database keeps failing it claims less and less often; a look that succeeds starts over.
    private int _failures;

    /// <summary>Wake-ups so far (the benchmark reads it).</summary>
    public long WakeUps { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            DateTimeOffset wakeAt;
            try
            {
                WakeUps++;
                wakeAt = await DispatchUntilAsync(cancellationToken);
                _failures = 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                var backoff = FailureBackoff(++_failures);
                HeraldLog.DispatchFailed(logger, Engine.PublicationRunner.ExceptionChain(ex), ex.Message, backoff.TotalSeconds);
                try
                {
                    // Deaf to signals: the claim it gave back wakes every dispatcher, this one too, and a failing
                    // one must not take its rows straight back from the healthy ones.
                    await Task.Delay(backoff, timeProvider, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            try
            {
                // An instant, turned into a wait at the last moment: a clock that moved meanwhile (a test's, or NTP)
                // cannot leave the dispatcher asleep past the next due time.
                // A wake-up at wakeAt claims what is due up to wakeAt + HoldAhead: a signal for a publication due by
                // then need not wake it sooner.
                await signal.WaitUntilAsync(wakeAt, timeProvider, cancellationToken, covers: wakeAt + options.HoldAhead);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>How long to wait after the <paramref name="failures"/>-th failed look in a row: 1, 2, 4, then 8 s.</summary>
    internal static TimeSpan FailureBackoff(int failures)
    {
        var seconds = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(failures, 8) - 1));
        return seconds < MaxFailureBackoff ? seconds : MaxFailureBackoff;
    }

    /// <summary>Claims and enqueues everything due now (while workers keep up); returns how long to sleep.</summary>
    public async Task<TimeSpan> DispatchOnceAsync(CancellationToken cancellationToken) =>
        await DispatchUntilAsync(cancellationToken) - timeProvider.GetUtcNow();

    /// <summary>Claims and enqueues everything due now (while workers keep up); returns when to look again.</summary>
    private async Task<DateTimeOffset> DispatchUntilAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await sink.PendingAsync(cancellationToken) >= _maxPending)
            {
                // Workers are behind: claim no more (a claimed row's lease runs while it waits), and look again
                // when a batch finishes (it signals) or soon.
                return timeProvider.GetUtcNow() + TimeSpan.FromMilliseconds(200);
            }

            var now = timeProvider.GetUtcNow();
            var token = ClaimTokens.New();
            // What falls due within HoldAhead is claimed now, made ready, and held until its instant by the batch.
            var asked = options.BatchSize;
            var claimed = await queue.ClaimDueAsync(asked, now, options.HoldAhead, now + options.LeaseDuration, token, cancellationToken);
            if (claimed.Count > 0)
            {
                IReadOnlyDictionary<Guid, DateTimeOffset> held = HeldOf(claimed);
                // What a failed hand-off gives back is due again no earlier than this: the latest instant held.
                var notBefore = held.Count > 0 ? held.Values.Max() : DateTimeOffset.MinValue;
                try
                {
                    if (claimed.Count == asked && held.Count == asked && options.HeldBatchSize > asked)
                    {
                        // A full batch, all of it ahead of its instant: more of what falls due then is claimed into
                        // the same batch, so that the batches holding one instant all run at it (Workers:Count of
                        // them) instead of some waiting for a worker while it passes. Should that claim fail after
                        // it took rows (its answer lost), they are given back not before the latest they can be due.
                        notBefore = now + options.HoldAhead;
                        var more = await queue.ClaimDueAsync(
                            options.HeldBatchSize - asked, now, options.HoldAhead, now + options.LeaseDuration, token, cancellationToken);
                        (asked, claimed) = (options.HeldBatchSize, [.. claimed, .. more]);
                        held = HeldOf(claimed);
                        notBefore = held.Values.Max();
                    }

                    await sink.EnqueueAsync(
                        new ClaimedBatch(
                            token,
                            [.. claimed.Where(c => !c.Recovered).Select(c => c.Id.Value)],
                            [.. claimed.Where(c => c.Recovered).Select(c => c.Id.Value)])
                        {
                            NotBefore = held.Count > 0 ? held : null,
                        },
                        cancellationToken);
                }
                catch (Exception ex)
                {
                    // Not handed off (or not known to be): give the rows back now rather than hold them for a whole
                    // lease — a held one not before its due instant, so no claim can send it early. Should the job
                    // exist after all, it and the next claim race for each row, and exactly one of them takes it.
                    await ReleaseAsync(token, claimed.Count, notBefore, ex);
                    throw;
                }
            }

            if (claimed.Count < asked)
            {
                break;
            }
        }

        var next = await queue.NextWakeAsync(options.HoldAhead, cancellationToken);
        var after = timeProvider.GetUtcNow();
        if (next is null)
        {
            return after + safetyPoll;
        }

        // Already due yet not claimed: another process holds those rows for a moment.
        return next.Value <= after ? after + TimeSpan.FromMilliseconds(10) : next.Value < after + safetyPoll ? next.Value : after + safetyPoll;
    }

    /// <summary>The claimed rows due after the claim's instant, each with the instant it must not be sent before.</summary>
    private static Dictionary<Guid, DateTimeOffset> HeldOf(IReadOnlyList<ClaimedPublication> claimed) =>
        claimed.Where(c => c.DueAt is not null).ToDictionary(c => c.Id.Value, c => c.DueAt!.Value);

    private async Task ReleaseAsync(string token, int count, DateTimeOffset notBefore, Exception handOffFailure)
    {
        // Its own deadline, not the dispatcher's token: a host stopping mid hand-off must still give the rows back.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5), timeProvider);
        try
        {
            var now = timeProvider.GetUtcNow();
            var released = await queue.ReleaseClaimAsync(token, notBefore > now ? notBefore : now, deadline.Token);
            if (released > 0)
            {
                HeraldLog.ClaimReleased(logger, released);
            }
        }
        catch (Exception ex)
        {
            HeraldLog.ClaimNotReleased(logger, count, $"{Engine.PublicationRunner.ExceptionChain(handOffFailure)}, then {Engine.PublicationRunner.ExceptionChain(ex)}");
        }
    }
}

/// <summary>
/// Who holds a lease. The dispatcher's claim gives a row a <c>claim-…</c> owner; the job that runs the batch
/// replaces it with its <c>run-…</c> id before anything is sent. A row whose lease expired while still owned by
/// a claim was never taken by a job — nothing can have been sent — so it is run again as fresh, without a
/// lookup on the platform.
/// </summary>
public static class ClaimTokens
{
    /// <summary>The start of every claim token (the queue's SQL matches it with LIKE).</summary>
    internal const string Prefix = "claim-";

    public static string New() => $"{Prefix}{Guid.NewGuid():N}";

    /// <summary>True when <paramref name="leaseOwner"/> is a dispatcher's claim that no job took over.</summary>
    public static bool NeverTaken(string? leaseOwner) =>
        leaseOwner is not null && leaseOwner.StartsWith(Prefix, StringComparison.Ordinal);
}
