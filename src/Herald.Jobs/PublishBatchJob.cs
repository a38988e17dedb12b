using Hangfire;
using Herald.Workers;

namespace Herald.Jobs;

/// <summary>
/// The Hangfire job: runs one claimed batch. Hangfire's automatic retry is off — Herald owns retries
/// (docs/architecture.md step 5), and a re-run after a crash finds its claim taken over and does nothing.
/// </summary>
public sealed class PublishBatchJob(BatchExecutor executor)
{
    /// <summary>The Hangfire queue Herald's batches go to.</summary>
    public const string Queue = "herald";

    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [Queue(Queue)]
    public Task RunAsync(ClaimedBatch batch, CancellationToken cancellationToken) => executor.RunAsync(batch, cancellationToken);
}
