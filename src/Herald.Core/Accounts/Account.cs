namespace Herald.Accounts;

/// <summary>
/// A connection to one platform: which platform, whose credentials, which server (a Mastodon instance,
/// a Forem instance or the sandbox) and per-account settings.
/// </summary>
public sealed class Account
{
    public AccountId Id { get; init; } = AccountId.New();

    /// <summary>The canonical platform id, such as <c>devto</c> or <c>linkedin</c>.</summary>
    public required string Platform { get; init; }

    public required string DisplayName { get; init; }

    public AccountCredentials Credentials { get; init; } = new();

    /// <summary>The API base address; null means the platform's public API.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>Per-account settings such as <c>mode</c> (LinkedIn) or <c>published</c> (Dev.to).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The setting that marks an account whose endpoint only the host that stored it knows (the CLI's sandbox
    /// accounts, stored without the sandbox's port). Without a base URL such an account is never called at a
    /// platform's public address: it is served only where an <c>IAccountEndpointResolver</c> supplies its endpoint.
    /// </summary>
    public const string HostEndpointSetting = "sandbox";

    /// <summary>True when the host must supply the endpoint (<see cref="HostEndpointSetting"/>) and none is stored.</summary>
    public bool NeedsHostEndpoint => BaseUrl is null && SettingFlag(HostEndpointSetting, fallback: false);

    public string? Setting(string key) => Settings.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    /// <summary>A boolean setting; <paramref name="fallback"/> when it is absent.</summary>
    /// <exception cref="InvalidOperationException">The setting is present but is not true/false.</exception>
    public bool SettingFlag(string key, bool fallback)
    {
        var raw = Setting(key);
        if (raw is null)
        {
            return fallback;
        }

        return bool.TryParse(raw, out var value)
            ? value
            : throw new InvalidOperationException(
                $"Account '{DisplayName}' setting '{key}' must be true or false, not '{raw}'.");
    }
}
