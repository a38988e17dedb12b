using Herald.Platforms;

namespace Herald.Engine;

/// <summary>What came of publishing one content to one account.</summary>
public sealed record PublishResult
{
    /// <summary>True when the platform has the post, or a manual draft is ready.</summary>
    public required bool Success { get; init; }

    /// <summary>The canonical platform id.</summary>
    public required string Platform { get; init; }

    public required PublishOutcomeKind Outcome { get; init; }

    public string? ExternalId { get; init; }

    public Uri? Url { get; init; }

    /// <summary>Sanitised: no credentials, no stack trace.</summary>
    public string? Error { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>On a success: no requests are left on this account until this wait is over (the platform's headers said).</summary>
    public TimeSpan? QuotaExhaustedFor { get; init; }

    public int? HttpStatus { get; init; }

    /// <summary>The platform refused the create because it already has the same post.</summary>
    public bool RefusedAsDuplicate { get; init; }

    /// <summary>The ready-to-paste draft of a manual platform.</summary>
    public string? Draft { get; init; }
}
