using Herald.Platforms;
using Herald.Publications;
using Herald.Workers.RateLimiting;
using Microsoft.Extensions.Configuration;

namespace Herald.DependencyInjection;

/// <summary>
/// Reads the retry and rate-limit policies (<c>Herald:Retry[:{platform}]:MaxRetries|BaseDelay|MaxDelay</c>,
/// <c>Herald:RateLimits[:{platform}]:Enabled|Permits|Window</c>), reporting every bad value with its key. Their
/// sections mix settings with per-platform subsections, so they are read key by key rather than bound to a type.
/// </summary>
internal static class HeraldPolicySettings
{
    public const string RetrySection = "Herald:Retry";
    public const string RateLimitSection = "Herald:RateLimits";

    private static readonly HashSet<string> RetryKeys = new(StringComparer.OrdinalIgnoreCase) { "MaxRetries", "BaseDelay", "MaxDelay" };
    private static readonly HashSet<string> RateKeys = new(StringComparer.OrdinalIgnoreCase) { "Enabled", "Permits", "Window" };

    /// <summary>The retry policies; <paramref name="maxRetries"/> (<c>Herald:MaxRetries</c>) unless <c>Herald:Retry:MaxRetries</c> says otherwise.</summary>
    public static RetryPolicies ReadRetryPolicies(IConfiguration? configuration, int maxRetries)
    {
        var fallback = RetryPolicy.Default with { MaxRetries = maxRetries };
        if (configuration is null)
        {
            return new RetryPolicies(fallback);
        }

        var section = configuration.GetSection(RetrySection);
        var defaults = Retry(section, fallback);
        var platforms = section.GetChildren()
            .Where(c => !RetryKeys.Contains(c.Key))
            .ToDictionary(c => PlatformRegistry.Normalize(c.Key), c => Retry(c, defaults), StringComparer.OrdinalIgnoreCase);
        return new RetryPolicies(defaults, platforms);
    }

    public static RateLimitPolicies ReadRateLimits(IConfiguration? configuration, PlatformRegistry registry)
    {
        if (configuration is null)
        {
            return new RateLimitPolicies(registry);
        }

        var section = configuration.GetSection(RateLimitSection);
        var overrides = section.GetChildren()
            .Where(c => !RateKeys.Contains(c.Key))
            .ToDictionary(
                c => PlatformRegistry.Normalize(c.Key),
                c => new RateLimitOverride(c.GetValue<bool?>("Enabled"), c.GetValue<int?>("Permits"), c.GetValue<TimeSpan?>("Window")),
                StringComparer.OrdinalIgnoreCase);
        var problems = overrides
            .Where(o => o.Value.Permits is < 1 || o.Value.Window is { } w && w <= TimeSpan.Zero)
            .Select(o => $"{RateLimitSection}:{o.Key}: Permits must be at least 1 and Window positive (such as 00:00:30).")
            .ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }

        return new RateLimitPolicies(registry, section.GetValue("Enabled", true), overrides);
    }

    private static RetryPolicy Retry(IConfiguration section, RetryPolicy fallback) => fallback with
    {
        MaxRetries = section.GetValue("MaxRetries", fallback.MaxRetries),
        BaseDelay = section.GetValue("BaseDelay", fallback.BaseDelay),
        MaxDelay = section.GetValue("MaxDelay", fallback.MaxDelay),
    };
}
