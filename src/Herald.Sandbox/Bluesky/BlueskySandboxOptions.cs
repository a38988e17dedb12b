namespace Herald.Sandbox.Bluesky;

/// <summary>The simulated Bluesky PDS's limits: <c>new SandboxOptions { Bluesky = { WritePointsPerHour = 6 } }</c>.</summary>
public sealed class BlueskySandboxOptions
{
    /// <summary>How long an uploaded blob no record references is kept ("minutes", docs/platforms.md, Bluesky, "Images").</summary>
    public TimeSpan UnreferencedBlobLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a Bluesky access token lasts (docs/platforms.md, Bluesky: 120 minutes), on the sandbox clock.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(120);

    /// <summary>How long a Bluesky refresh token lasts (docs/platforms.md, Bluesky: 90 days).</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Repository write points per DID and hour (docs/platforms.md, Bluesky: 5,000; a create costs 3).</summary>
    public int WritePointsPerHour { get; set; } = 5000;
}
