namespace Herald.Platforms;

/// <summary>
/// What the engine needs to know of a platform beyond its adapter: whether a publication can be a thread, and its
/// default write rate limit. Text and title limits are not repeated here: each adapter's validation and its text
/// counter hold them, once.
/// </summary>
public sealed record PlatformCapabilities
{
    /// <summary>A publication may be several posts (a thread): the runner confirms each part found by a lookup.</summary>
    public bool SupportsThreads { get; init; }

    /// <summary>The platform's default write rate limit: this many creates per window.</summary>
    public RateLimitDefault? DefaultRateLimit { get; init; }

    /// <summary>
    /// The platform's limit on image uploads, counted apart from its creates (Mastodon: 30 per 30 minutes per
    /// account); null when uploads count only against <see cref="DefaultRateLimit"/>, or the platform takes no uploads.
    /// </summary>
    public RateLimitDefault? UploadRateLimit { get; init; }

    /// <summary>
    /// How long an image upload stays usable for a post (X: Herald reuses one for 20 hours); an older one is uploaded
    /// again, so it counts against <see cref="UploadRateLimit"/> again. Null when an upload stays usable.
    /// </summary>
    public TimeSpan? UploadsReusableFor { get; init; }
}

/// <summary>A fixed-window rate limit: <paramref name="Permits"/> per <paramref name="Window"/>.</summary>
public sealed record RateLimitDefault(int Permits, TimeSpan Window);
