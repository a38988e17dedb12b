namespace Herald.Sandbox.Mastodon;

/// <summary>The simulated Mastodon instance's limits: <c>new SandboxOptions { Mastodon = { MaxCharacters = 1000 } }</c>.</summary>
public sealed class MastodonSandboxOptions
{
    /// <summary>
    /// The Mastodon version the instance reports (<c>GET /api/v2/instance</c>). Before 4.3,
    /// <c>GET /api/v1/apps/verify_credentials</c> lists no <c>scopes</c>, so what a token may do cannot be read there.
    /// </summary>
    public Version Version { get; set; } = new(4, 3, 0);

    /// <summary>The simulated Mastodon instance's <c>max_characters</c> (upstream default 500); tests may set 1,000.</summary>
    public int MaxCharacters { get; set; } = 500;

    /// <summary>Statuses one Mastodon account may create per window (docs/platforms.md, Mastodon: 300 per 3 hours).</summary>
    public int StatusesPerWindow { get; set; } = 300;

    public TimeSpan StatusWindow { get; set; } = TimeSpan.FromHours(3);

    /// <summary>Requests one Mastodon account may make per window, all endpoints (docs/platforms.md, Mastodon: 300 per 5 minutes).</summary>
    public int RequestsPerWindow { get; set; } = 300;

    public TimeSpan RequestWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Uploads one account may make per window (docs/platforms.md, Mastodon: 30 per 30 minutes).</summary>
    public int MediaPerWindow { get; set; } = 30;

    public TimeSpan MediaWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How many reads of an upload answer 206 (still processing) before it is ready. 0 (the default, as Mastodon does
    /// for images) answers the upload with 200; more answers it with 202, as for video, to exercise the wait.
    /// </summary>
    public int MediaProcessingPolls { get; set; }
}
