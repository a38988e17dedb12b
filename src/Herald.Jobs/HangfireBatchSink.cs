using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Herald.Workers;

namespace Herald.Jobs;

/// <summary>Hands claimed batches to Hangfire: one job per batch on the <c>herald</c> queue.</summary>
internal sealed class HangfireBatchSink(JobStorage storage) : IBatchSink
{
    private readonly BackgroundJobClient _client = new(storage);

    public Task<long> PendingAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(storage.GetMonitoringApi().EnqueuedCount(PublishBatchJob.Queue));

    public Task EnqueueAsync(ClaimedBatch batch, CancellationToken cancellationToken = default)
    {
        _client.Create(
            Job.FromExpression<PublishBatchJob>(job => job.RunAsync(batch, CancellationToken.None)),
            new EnqueuedState(PublishBatchJob.Queue));
        return Task.CompletedTask;
    }
}
