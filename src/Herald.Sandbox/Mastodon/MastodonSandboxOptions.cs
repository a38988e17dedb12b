namespace Herald.Sandbox.Mastodon;

/// <summary>The simulated Mastodon instance's limits: <c>new SandboxOptions { Mastodon = { MaxCharacters = 1000 } }</c>.</summary>
public sealed class MastodonSandboxOptions
{
    /// <summary>The simulated Mastodon instance's <c>max_characters</c> (upstream default 500); tests may set 1,000.</summary>
    public int MaxCharacters { get; set; } = 500;

    /// <summary>Statuses one Mastodon account may create per window (docs/platforms.md, Mastodon: 300 per 3 hours).</summary>
    public int StatusesPerWindow { get; set; } = 300;

    public TimeSpan StatusWindow { get; set; } = TimeSpan.FromHours(3);

    /// <summary>Requests one Mastodon account may make per window, all endpoints (docs/platforms.md, Mastodon: 300 per 5 minutes).</summary>
    public int RequestsPerWindow { get; set; } = 300;

    public TimeSpan RequestWindow { get; set; } = TimeSpan.FromMinutes(5);
}
