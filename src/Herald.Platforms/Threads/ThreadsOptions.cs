using Herald.Platforms.Http;
using Microsoft.Extensions.Options;

namespace Herald.Platforms.Threads;

/// <summary>Settings of the Threads adapter, section <c>Herald:Threads</c> in configuration.</summary>
/// <remarks>
/// A post goes out in two steps (docs/platforms.md, Threads): a media container is created, then published once Threads
/// reports it <c>FINISHED</c>. The first status check follows the create at once; while the container is not
/// ready the adapter waits <see cref="StatusCheckDelay"/>, doubling each time up to
/// <see cref="StatusCheckMaxDelay"/>, and gives up (a retryable failure, nothing was posted) when the waits would
/// pass <see cref="StatusWaitLimit"/> or after <see cref="MaxStatusChecks"/> checks. The waits use the injected
/// <see cref="TimeProvider"/>.
/// </remarks>
public sealed class ThreadsOptions
{
    /// <summary>The Graph API used when an account names none. Default <c>https://graph.threads.net/v1.0</c>.</summary>
    public Uri DefaultBaseUrl { get; set; } = new("https://graph.threads.net/v1.0");

    /// <summary>How long one HTTP call may take. Default 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first wait after a container answered "not ready". Default 1 second; 0 checks again at once.</summary>
    public TimeSpan StatusCheckDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two status checks. Default 60 seconds (Meta suggests one check a minute).</summary>
    public TimeSpan StatusCheckMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The most the waits for one container may add up to. Default 5 minutes (Meta's suggested ceiling).</summary>
    public TimeSpan StatusWaitLimit { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The most status checks for one container, whatever the delays. Default 20.</summary>
    public int MaxStatusChecks { get; set; } = 20;

    /// <summary>
    /// How many times one container may be sent to <c>threads_publish</c> in one try. Default 2. A resend only
    /// follows a status check that shows the container still unpublished.
    /// </summary>
    public int PublishAttempts { get; set; } = 2;
}

/// <summary>Reports every problem of a <see cref="ThreadsOptions"/> at once.</summary>
internal sealed class ThreadsOptionsValidator : IValidateOptions<ThreadsOptions>
{
    public ValidateOptionsResult Validate(string? name, ThreadsOptions options)
    {
        var failures = new List<string>();
        PlatformOptionRules.BaseUrl(failures, "Herald:Threads:DefaultBaseUrl", options.DefaultBaseUrl, "https://graph.threads.net/v1.0");
        PlatformOptionRules.Timeout(failures, "Herald:Threads:Timeout", options.Timeout);

        if (options.StatusCheckDelay < TimeSpan.Zero)
        {
            failures.Add("Herald:Threads:StatusCheckDelay must not be negative, such as 00:00:01.");
        }

        if (options.StatusCheckMaxDelay < options.StatusCheckDelay)
        {
            failures.Add("Herald:Threads:StatusCheckMaxDelay must be at least StatusCheckDelay, such as 00:01:00.");
        }

        if (options.StatusWaitLimit < TimeSpan.Zero)
        {
            failures.Add("Herald:Threads:StatusWaitLimit must not be negative, such as 00:05:00.");
        }

        if (options.MaxStatusChecks < 1)
        {
            failures.Add($"Herald:Threads:MaxStatusChecks must be at least 1, such as 20 (not {options.MaxStatusChecks}).");
        }

        if (options.PublishAttempts < 1)
        {
            failures.Add($"Herald:Threads:PublishAttempts must be at least 1, such as 2 (not {options.PublishAttempts}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
