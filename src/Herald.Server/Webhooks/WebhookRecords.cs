namespace Herald.Server.Webhooks;

/// <summary>
/// A webhook as stored: where to deliver, which event types, the signing secret encrypted with the credential key
/// (never in clear), and how far through the publication changes its events were made (a
/// <see cref="Publications.PublicationCursor"/>, encoded).
/// </summary>
internal sealed class WebhookRecord
{
    public Guid Id { get; set; }

    public string Url { get; set; } = "";

    /// <summary>Comma-separated event types; empty for every type.</summary>
    public string EventTypes { get; set; } = "";

    public string? Description { get; set; }

    /// <summary>The signing secret, encrypted (see <see cref="WebhookSecrets"/>).</summary>
    public string Secret { get; set; } = "";

    /// <summary>The encoded position in the publication changes up to which events exist for this webhook.</summary>
    public string Position { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Where an event is in its delivery.</summary>
internal enum WebhookEventStatus
{
    /// <summary>Waiting for its (next) attempt, due at <see cref="WebhookEventRecord.NextAttemptAt"/>.</summary>
    Pending = 0,

    /// <summary>An attempt holds it until <see cref="WebhookEventRecord.NextAttemptAt"/> (a lease; past it, another may try).</summary>
    Sending = 1,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered = 2,

    /// <summary>Every attempt failed; the events after it went on.</summary>
    GaveUp = 3,
}

/// <summary>
/// One event for one webhook: the exact body every attempt sends (so retries carry the same bytes and id), and where
/// its delivery is. Ids grow in the order events were made, which per publication is the order of its changes.
/// </summary>
internal sealed class WebhookEventRecord
{
    public long Id { get; set; }

    public Guid WebhookId { get; set; }

    public Guid PublicationId { get; set; }

    public string Type { get; set; } = "";

    public string Body { get; set; } = "";

    public WebhookEventStatus Status { get; set; }

    public int AttemptCount { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }
}

/// <summary>One delivery attempt: when, what the receiver answered (status only, never its body), how long it took.</summary>
internal sealed class WebhookDeliveryRecord
{
    public long Id { get; set; }

    public Guid WebhookId { get; set; }

    public long EventId { get; set; }

    public int Attempt { get; set; }

    public DateTimeOffset AttemptedAt { get; set; }

    public int? StatusCode { get; set; }

    public double DurationMs { get; set; }

    public bool Succeeded { get; set; }

    /// <summary>What went wrong, in Herald's words ("HTTP 503", "connection refused", "timed out"); null on success.</summary>
    public string? Error { get; set; }
}
