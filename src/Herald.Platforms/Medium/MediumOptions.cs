using Herald.Platforms.Http;
using Microsoft.Extensions.Options;

namespace Herald.Platforms.Medium;

/// <summary>Settings of the Medium adapter, section <c>Herald:Medium</c> in configuration.</summary>
public sealed class MediumOptions
{
    /// <summary>The API base address used when an account names none. Default <c>https://api.medium.com/v1</c>.</summary>
    public Uri DefaultBaseUrl { get; set; } = new("https://api.medium.com/v1");

    /// <summary>How long one HTTP call may take. Default 30 seconds; a create that times out needs a person to check.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Reports every problem of a <see cref="MediumOptions"/> at once.</summary>
internal sealed class MediumOptionsValidator : IValidateOptions<MediumOptions>
{
    public ValidateOptionsResult Validate(string? name, MediumOptions options)
    {
        var failures = new List<string>();
        PlatformOptionRules.BaseUrl(failures, "Herald:Medium:DefaultBaseUrl", options.DefaultBaseUrl, "https://api.medium.com/v1");
        PlatformOptionRules.Timeout(failures, "Herald:Medium:Timeout", options.Timeout);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
