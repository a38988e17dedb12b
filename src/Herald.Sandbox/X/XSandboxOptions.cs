namespace Herald.Sandbox.X;

/// <summary>The simulated X's limits: <c>new SandboxOptions { X = { CreatesPerWindow = 3 } }</c>.</summary>
public sealed class XSandboxOptions
{
    /// <summary>
    /// Posts one X user may create per <see cref="CreateWindow"/> (docs/platforms.md, X, "Rate limits": the current
    /// per-endpoint table gives 100 per 15 minutes per user).
    /// </summary>
    public int CreatesPerWindow { get; set; } = 100;

    public TimeSpan CreateWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an OAuth 2.0 access token the X simulator issues lives (docs/platforms.md, X, "Auth": 2 hours).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(2);
}
