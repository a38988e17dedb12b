namespace Herald.Publications;

/// <summary>
/// When to try again after a retryable failure (docs/architecture.md, "Retry"):
/// <c>max(min(base × 2^(retry−1), cap), Retry-After)</c> — 1, 2, 4, 8 min … capped at 1 h by default.
/// </summary>
public sealed record RetryPolicy
{
    public static RetryPolicy Default { get; } = new();

    /// <summary>The first delay; doubled for every further retry.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>No delay is longer than this, unless the platform asked for longer.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How many retries before a publication is Failed.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The delay before retry number <paramref name="retry"/> (1 for the first retry).</summary>
    public TimeSpan DelayFor(int retry, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        // Doubling past 2^20 minutes is far beyond any cap; clamp the exponent so it cannot overflow.
        var factor = Math.Pow(2, Math.Min(retry - 1, 20));
        var backoff = TimeSpan.FromTicks((long)Math.Min(BaseDelay.Ticks * factor, MaxDelay.Ticks));
        return retryAfter is { } wait && wait > backoff ? wait : backoff;
    }
}
