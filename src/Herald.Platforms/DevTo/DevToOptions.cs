using Herald.Platforms.Http;
using Microsoft.Extensions.Options;

namespace Herald.Platforms.DevTo;

/// <summary>Settings of the Dev.to (Forem API v1) adapter, section <c>Herald:DevTo</c> in configuration.</summary>
public sealed class DevToOptions
{
    /// <summary>
    /// The API base address used when an account names none. Default <c>https://dev.to/api</c>; any Forem
    /// instance serves the same API under <c>https://&lt;host&gt;/api</c>.
    /// </summary>
    public Uri DefaultBaseUrl { get; set; } = new("https://dev.to/api");

    /// <summary>
    /// How long one HTTP call may take before Herald gives up on it. Default 30 seconds. A create that
    /// times out ends <see cref="PublishOutcomeKind.Unknown"/> and is reconciled before any resend.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Reports every problem of a <see cref="DevToOptions"/> at once.</summary>
internal sealed class DevToOptionsValidator : IValidateOptions<DevToOptions>
{
    public ValidateOptionsResult Validate(string? name, DevToOptions options)
    {
        var failures = new List<string>();
        PlatformOptionRules.BaseUrl(failures, "Herald:DevTo:DefaultBaseUrl", options.DefaultBaseUrl, "https://dev.to/api");
        PlatformOptionRules.Timeout(failures, "Herald:DevTo:Timeout", options.Timeout);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
