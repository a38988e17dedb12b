using Herald.Platforms.Http;
using Microsoft.Extensions.Options;

namespace Herald.Platforms.X;

/// <summary>Settings of the X adapter, section <c>Herald:X</c> in configuration.</summary>
public sealed class XOptions
{
    /// <summary>
    /// The API host used when an account names none. Default <c>https://api.x.com</c>; posts go to
    /// <c>/2/tweets</c> and OAuth 2.0 tokens are renewed at <c>/2/oauth2/token</c>.
    /// </summary>
    public Uri DefaultBaseUrl { get; set; } = new("https://api.x.com");

    /// <summary>Where public post addresses point: <c>{WebBaseUrl}/{username}/status/{id}</c>. Default <c>https://x.com</c>.</summary>
    public Uri WebBaseUrl { get; set; } = new("https://x.com");

    /// <summary>
    /// How many posts a reconciliation reads per timeline page, 5 to 100 (the API's <c>max_results</c>). Default
    /// 100; pages go back as far as the uncertain send.
    /// </summary>
    public int LookupPageSize { get; set; } = 100;

    /// <summary>How long one HTTP call may take. Default 30 seconds; a create that times out is reconciled.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Reports every problem of an <see cref="XOptions"/> at once.</summary>
internal sealed class XOptionsValidator : IValidateOptions<XOptions>
{
    public ValidateOptionsResult Validate(string? name, XOptions options)
    {
        var failures = new List<string>();
        PlatformOptionRules.BaseUrl(failures, "Herald:X:DefaultBaseUrl", options.DefaultBaseUrl, "https://api.x.com");
        PlatformOptionRules.BaseUrl(failures, "Herald:X:WebBaseUrl", options.WebBaseUrl, "https://x.com", carriesCredentials: false);
        if (options.LookupPageSize is < 5 or > 100)
        {
            failures.Add($"Herald:X:LookupPageSize must be between 5 and 100 (X's max_results), not {options.LookupPageSize}.");
        }

        PlatformOptionRules.Timeout(failures, "Herald:X:Timeout", options.Timeout);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
