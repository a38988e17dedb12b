namespace Herald.Platforms;

/// <summary>How a platform counts the characters of a text against its limit.</summary>
public enum TextCounting
{
    /// <summary>Unicode code points (a surrogate pair is one).</summary>
    CodePoints = 0,

    /// <summary>UTF-8 bytes.</summary>
    Utf8Bytes = 1,

    /// <summary>Grapheme clusters (what a reader sees as one character).</summary>
    Graphemes = 2,

    /// <summary>twitter-text v3 weighted length.</summary>
    TwitterWeighted = 3,
}

/// <summary>What the platform natively takes as its body.</summary>
public enum BodyFormat
{
    Markdown = 0,
    PlainText = 1,
    Html = 2,
}

/// <summary>A platform's limits and features, declared once and used by validation, rendering and previews.</summary>
public sealed record PlatformCapabilities
{
    public required BodyFormat Format { get; init; }

    /// <summary>The longest title the platform keeps; null when posts have no title.</summary>
    public int? MaxTitleLength { get; init; }

    /// <summary>The longest body, in <see cref="Counting"/> units; null when effectively unlimited.</summary>
    public int? MaxTextLength { get; init; }

    public TextCounting Counting { get; init; } = TextCounting.CodePoints;

    /// <summary>How many tags are kept; 0 when the platform has none.</summary>
    public int MaxTags { get; init; }

    public int? MaxTagLength { get; init; }

    public bool SupportsCanonicalUrl { get; init; }

    public bool SupportsThreads { get; init; }

    /// <summary>Whether a resend can be made safe (an idempotency key, a client-chosen id, or a lookup).</summary>
    public bool CanReconcile { get; init; }

    /// <summary>The platform's default write rate limit: this many creates per window.</summary>
    public RateLimitDefault? DefaultRateLimit { get; init; }
}

/// <summary>A fixed-window rate limit: <paramref name="Permits"/> per <paramref name="Window"/>.</summary>
public sealed record RateLimitDefault(int Permits, TimeSpan Window);
