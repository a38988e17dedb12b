namespace Herald.Publications;

/// <summary>
/// The retry policy of each platform: the default (<c>Herald:Retry</c>, with <c>Herald:MaxRetries</c>) unless
/// the platform has its own (<c>Herald:Retry:{platform}:MaxRetries|BaseDelay|MaxDelay</c>).
/// </summary>
public sealed class RetryPolicies
{
    private readonly Dictionary<string, RetryPolicy> _platforms;

    public RetryPolicies(RetryPolicy? defaultPolicy = null, IReadOnlyDictionary<string, RetryPolicy>? platforms = null)
    {
        Default = defaultPolicy ?? RetryPolicy.Default;
        _platforms = new Dictionary<string, RetryPolicy>(platforms ?? new Dictionary<string, RetryPolicy>(), StringComparer.OrdinalIgnoreCase);
        var problems = _platforms.Select(p => (Key: $"Herald:Retry:{p.Key}", Policy: p.Value))
            .Prepend((Key: "Herald:Retry", Policy: Default))
            .SelectMany(p => Problems(p.Key, p.Policy))
            .ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }
    }

    public RetryPolicy Default { get; }

    /// <summary>The policy that applies to <paramref name="platform"/>.</summary>
    public RetryPolicy For(string platform) => _platforms.GetValueOrDefault(platform, Default);

    private static IEnumerable<string> Problems(string key, RetryPolicy policy)
    {
        if (policy.MaxRetries < 0)
        {
            yield return $"{key}:MaxRetries must be 0 or more.";
        }

        if (policy.BaseDelay <= TimeSpan.Zero)
        {
            yield return $"{key}:BaseDelay must be positive, such as 00:01:00.";
        }

        if (policy.MaxDelay < policy.BaseDelay)
        {
            yield return $"{key}:MaxDelay must be at least BaseDelay.";
        }
    }
}
