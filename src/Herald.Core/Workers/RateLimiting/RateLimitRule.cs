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

    /// <summary>The rule for <paramref name="platform"/>, or null when it is not limited.</summary>
    public RateLimitRule? For(string platform)
    {
        if (!Enabled)
        {
            return null;
        }

        var configured = _overrides.TryGetValue(platform, out var o) ? o : null;
        if (configured?.Enabled == false)
        {
            return null;
        }

        var defaults = registry.TryResolve(platform, out var adapter) ? adapter.Platform.Capabilities.DefaultRateLimit : null;
        var permits = configured?.Permits ?? defaults?.Permits;
        var window = configured?.Window ?? defaults?.Window;
        return permits is { } p && window is { } w ? new RateLimitRule(p, w) : null;
    }
}

/// <summary>What configuration says about one platform's limit; null members keep the platform's default.</summary>
public sealed record RateLimitOverride(bool? Enabled = null, int? Permits = null, TimeSpan? Window = null);
