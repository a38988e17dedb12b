using Herald.Platforms.Http;
using Microsoft.Extensions.Options;

namespace Herald.Platforms.Mastodon;

/// <summary>Settings of the Mastodon adapter, section <c>Herald:Mastodon</c> in configuration.</summary>
public sealed class MastodonOptions
{
    /// <summary>
    /// The instance used when an account names none. Default <c>https://mastodon.social</c>; an account's
    /// base URL is its own instance (<c>https://fosstodon.org</c>), where the API lives under <c>/api</c>.
    /// </summary>
    public Uri DefaultBaseUrl { get; set; } = new("https://mastodon.social");

    /// <summary>How long one HTTP call may take. Default 30 seconds; a create that times out is reconciled.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an instance's limits (<c>max_characters</c>, <c>characters_reserved_per_url</c> from
    /// <c>GET /api/v2/instance</c>) are trusted before they are read again. Default 1 hour.
    /// </summary>
    public TimeSpan InstanceLimitsLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long to wait between two reads of an uploaded image that the instance is still processing (an upload
    /// answered 202). Default 1 second; zero reads again at once.
    /// </summary>
    public TimeSpan MediaPollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Reports every problem of a <see cref="MastodonOptions"/> at once.</summary>
internal sealed class MastodonOptionsValidator : IValidateOptions<MastodonOptions>
{
    public ValidateOptionsResult Validate(string? name, MastodonOptions options)
    {
        var failures = new List<string>();
        PlatformOptionRules.BaseUrl(failures, "Herald:Mastodon:DefaultBaseUrl", options.DefaultBaseUrl, "https://mastodon.social");
        PlatformOptionRules.Timeout(failures, "Herald:Mastodon:Timeout", options.Timeout);
        if (options.InstanceLimitsLifetime <= TimeSpan.Zero)
        {
            failures.Add("Herald:Mastodon:InstanceLimitsLifetime must be positive, such as 01:00:00.");
        }

        if (options.MediaPollInterval < TimeSpan.Zero)
        {
            failures.Add("Herald:Mastodon:MediaPollInterval must not be negative, such as 00:00:01.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
