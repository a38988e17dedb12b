using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Herald.Server.Webhooks;

/// <summary>Webhook delivery attempts (meter <c>Herald.Webhooks</c>): by outcome, with their duration. No URL, id or body in a tag.</summary>
internal sealed class WebhookMetrics : IDisposable
{
    public const string MeterName = "Herald.Webhooks";

    private readonly Meter _meter;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _duration;

    public WebhookMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _deliveries = _meter.CreateCounter<long>("herald.webhook.deliveries", unit: "{attempt}",
            description: "Webhook delivery attempts, by outcome (delivered, failed).");
        _duration = _meter.CreateHistogram<double>("herald.webhook.delivery.duration", unit: "s",
            description: "How long a webhook receiver took to answer one delivery attempt.");
    }

    public void Record(bool delivered, TimeSpan duration)
    {
        var tags = new TagList { { "outcome", delivered ? "delivered" : "failed" } };
        _deliveries.Add(1, tags);
        _duration.Record(duration.TotalSeconds, tags);
    }

    public void Dispose() => _meter.Dispose();
}
