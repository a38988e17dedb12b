using Herald.Platforms.Http;
using Microsoft.Extensions.Options;

namespace Herald.Platforms.Bluesky;

/// <summary>Settings of the Bluesky adapter, section <c>Herald:Bluesky</c> in configuration.</summary>
public sealed class BlueskyOptions
{
    /// <summary>
    /// The service an account logs in to when it names none. Default <c>https://bsky.social</c> (the entryway);
    /// repository writes then go to the account's own PDS, named in the session's DID document.
    /// </summary>
    public Uri DefaultBaseUrl { get; set; } = new("https://bsky.social");

    /// <summary>How long one HTTP call may take. Default 30 seconds; a create that times out is reconciled.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Reports every problem of a <see cref="BlueskyOptions"/> at once.</summary>
internal sealed class BlueskyOptionsValidator : IValidateOptions<BlueskyOptions>
{
    public ValidateOptionsResult Validate(string? name, BlueskyOptions options)
    {
        var failures = new List<string>();
        PlatformOptionRules.BaseUrl(failures, "Herald:Bluesky:DefaultBaseUrl", options.DefaultBaseUrl, "https://bsky.social");
        PlatformOptionRules.Timeout(failures, "Herald:Bluesky:Timeout", options.Timeout);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
