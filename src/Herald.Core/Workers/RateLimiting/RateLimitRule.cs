using Herald.Platforms;

namespace Herald.Workers.RateLimiting;

/// <summary>
/// At most <paramref name="Permits"/> requests in any <paramref name="Window"/>, counted the safe way: a
/// permit's slot is held from acquisition until the request completes, and the window runs from completion,
/// so the platform never sees more than <paramref name="Permits"/> arrivals in a window whatever the network delay.
/// </summary>
public sealed record RateLimitRule(int Permits, TimeSpan Window);

/// <summary>
/// Each platform's write limit: its adapter's <see cref="PlatformCapabilities.DefaultRateLimit"/> unless
/// configured (<c>Herald:RateLimits:{platform}:Permits|Window|Enabled</c>); <c>Herald:RateLimits:Enabled</c>
/// false switches every limit off (benchmarks against a sandbox without limits).
/// </summary>
public sealed class RateLimitPolicies(
    PlatformRegistry registry,
    bool enabled = true,
    IReadOnlyDictionary<string, RateLimitOverride>? overrides = null)
{
    private readonly IReadOnlyDictionary<string, RateLimitOverride> _overrides =
        overrides ?? new Dictionary<string, RateLimitOverride>(StringComparer.OrdinalIgnoreCase);

    public bool Enabled { get; } = enabled;

    private const string UploadsSuffix = "/uploads";

    /// <summary>
    /// The key of <paramref name="platform"/>'s image uploads, limited apart from its creates
    /// (<see cref="PlatformCapabilities.UploadRateLimit"/>): give it to <see cref="For"/> and to a limiter.
    /// </summary>
    public static string Uploads(string platform) => platform + UploadsSuffix;

    /// <summary>
    /// The rule for <paramref name="platform"/> (or its <see cref="Uploads"/> key), or null when it is not limited.
    /// Switching a platform's limit off in configuration switches off its upload limit too.
    /// </summary>
    public RateLimitRule? For(string platform)
    {
        if (!Enabled)
        {
            return null;
        }

        var uploads = platform.EndsWith(UploadsSuffix, StringComparison.Ordinal);
        var name = uploads ? platform[..^UploadsSuffix.Length] : platform;
        var configured = _overrides.TryGetValue(name, out var o) ? o : null;
        if (configured?.Enabled == false)
        {
            return null;
        }

        var capabilities = registry.TryResolve(name, out var adapter) ? adapter.Platform.Capabilities : null;
        if (uploads)
        {
            return capabilities?.UploadRateLimit is { } upload ? new RateLimitRule(upload.Permits, upload.Window) : null;
        }

        var defaults = capabilities?.DefaultRateLimit;
        var permits = configured?.Permits ?? defaults?.Permits;
        var window = configured?.Window ?? defaults?.Window;
        return permits is { } p && window is { } w ? new RateLimitRule(p, w) : null;
    }
}

/// <summary>What configuration says about one platform's limit; null members keep the platform's default.</summary>
public sealed record RateLimitOverride(bool? Enabled = null, int? Permits = null, TimeSpan? Window = null);
