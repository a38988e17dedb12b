using System.Globalization;
using Herald.Platforms.Http;
using Microsoft.Extensions.Options;

namespace Herald.Platforms.LinkedIn;

/// <summary>Settings of the LinkedIn adapter, section <c>Herald:LinkedIn</c> in configuration.</summary>
public sealed class LinkedInOptions
{
    /// <summary>The API host used when an account names none. Default <c>https://api.linkedin.com</c>; posts go to <c>/rest/posts</c>.</summary>
    public Uri DefaultBaseUrl { get; set; } = new("https://api.linkedin.com");

    /// <summary>
    /// The <c>LinkedIn-Version</c> header, <c>YYYYMM</c>. Default <c>202601</c>. LinkedIn retires a version
    /// about a year after its month and then answers 426; move this forward when that happens.
    /// </summary>
    public string Version { get; set; } = "202601";

    /// <summary>How long one HTTP call may take. Default 30 seconds; a create that times out is reconciled.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long to wait between two reads of an uploaded image that LinkedIn is still processing (at most 30 reads per
    /// image, then the attempt is retried later with the same upload). Default 2 seconds; zero reads again at once.
    /// </summary>
    public TimeSpan ImagePollInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>Reports every problem of a <see cref="LinkedInOptions"/> at once.</summary>
internal sealed class LinkedInOptionsValidator : IValidateOptions<LinkedInOptions>
{
    public ValidateOptionsResult Validate(string? name, LinkedInOptions options)
    {
        var failures = new List<string>();
        PlatformOptionRules.BaseUrl(failures, "Herald:LinkedIn:DefaultBaseUrl", options.DefaultBaseUrl, "https://api.linkedin.com");

        if (options.Version is not { Length: 6 } version ||
            !DateTime.TryParseExact(version + "01", "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            failures.Add($"Herald:LinkedIn:Version must be a year and month written YYYYMM, such as 202601 (not '{options.Version}').");
        }

        PlatformOptionRules.Timeout(failures, "Herald:LinkedIn:Timeout", options.Timeout);
        if (options.ImagePollInterval < TimeSpan.Zero || options.ImagePollInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"Herald:LinkedIn:ImagePollInterval must be between 00:00:00 and 00:01:00, such as 00:00:02 (not {options.ImagePollInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
