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
        _client.Create(Job.FromExpression<WebhookDelivery>(d => d.RunAsync(webhookId, publicationId, CancellationToken.None)), new EnqueuedState(Name));

    public void Schedule(Guid webhookId, Guid publicationId, TimeSpan delay) =>
        _client.Create(Job.FromExpression<WebhookDelivery>(d => d.RunAsync(webhookId, publicationId, CancellationToken.None)), new ScheduledState(delay));
}
