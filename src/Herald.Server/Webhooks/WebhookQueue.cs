using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace Herald.Server.Webhooks;

/// <summary>Hands deliveries to Hangfire: one job drains one publication's pending events for one webhook, in order.</summary>
internal sealed class WebhookQueue(JobStorage storage)
{
    /// <summary>The Hangfire queue the webhook workers take jobs from.</summary>
    public const string Name = "webhooks";

    private readonly BackgroundJobClient _client = new(storage);

    public void Enqueue(Guid webhookId, Guid publicationId) =>
        _client.Create(Job.FromExpression<WebhookDelivery>(d => d.RunAsync(webhookId, publicationId, null, CancellationToken.None)), new EnqueuedState(Name));

    /// <summary>
    /// A job at <paramref name="at"/>, rounded up to a whole second: Hangfire keeps a scheduled job's time in whole
    /// seconds and hands it out once that second has begun, so a job for 12:00:30.7 would otherwise run at 12:00:30.2,
    /// find its event not yet due and do nothing. The job carries <paramref name="at"/>, which makes it the retry's job.
    /// </summary>
    public void Schedule(Guid webhookId, Guid publicationId, DateTimeOffset at)
    {
        var ticks = at.UtcTicks + TimeSpan.TicksPerSecond - 1;
        var whole = new DateTime(ticks - ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        _client.Create(Job.FromExpression<WebhookDelivery>(d => d.RunAsync(webhookId, publicationId, at, CancellationToken.None)), new ScheduledState(whole));
    }
}
