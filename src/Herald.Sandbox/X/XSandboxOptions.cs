namespace Herald.Sandbox.X;

/// <summary>The simulated X's limits: <c>new SandboxOptions { X = { CreatesPerWindow = 3 } }</c>.</summary>
public sealed class XSandboxOptions
{
    /// <summary>
    /// Posts one X user may create per <see cref="CreateWindow"/> (docs/platforms.md, X, "Rate limits": the current
    /// per-endpoint table gives 100 per 15 minutes per user).
    /// </summary>
    public int CreatesPerWindow { get; set; } = 100;

    /// <summary>The window of every per-user limit: 15 minutes.</summary>
    public TimeSpan CreateWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Simple uploads (<c>POST /2/media/upload</c>) one user may make per window: 500 in X's table.</summary>
    public int MediaUploadsPerWindow { get; set; } = 500;

    /// <summary>Alt-text calls (<c>POST /2/media/metadata</c>) one user may make per window: 500 in X's table.</summary>
    public int MediaMetadataPerWindow { get; set; } = 500;

    /// <summary>How long an upload that no post uses stays attachable (<c>expires_after_secs</c>: a day in X's examples).</summary>
    public TimeSpan MediaLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long an OAuth 2.0 access token the X simulator issues lives (docs/platforms.md, X, "Auth": 2 hours).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(2);
}
