using Microsoft.Extensions.Options;

namespace Herald.Server.Webhooks;

/// <summary>How webhooks are delivered, from <c>Herald:Server:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Herald:Server:Webhooks";

    /// <summary>The wait after the first failed attempt; each later wait doubles, up to <see cref="MaxRetryDelay"/>. Default 30 s.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two attempts. Default one hour.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Attempts per event before Herald gives up on it and goes on with the next. Default 15: with the default delays
    /// the last attempt comes about eight hours after the first, so a receiver down for hours still gets every event.
    /// </summary>
    public int MaxAttempts { get; set; } = 15;

    /// <summary>How long the receiver has to answer one attempt. Default 15 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often new publication changes are turned into events. Default one second.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The wait before attempt <paramref name="failed"/> + 1, after <paramref name="failed"/> failed attempts.</summary>
    public TimeSpan RetryDelay(int failed)
    {
        var delay = FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, failed - 1));
        return delay >= MaxRetryDelay.TotalMilliseconds ? MaxRetryDelay : TimeSpan.FromMilliseconds(delay);
    }

    /// <summary>Every value that cannot be used, each named with its key and the rule.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (FirstRetryDelay <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:FirstRetryDelay must be positive, such as 00:00:30.");
        }

        if (MaxRetryDelay < FirstRetryDelay)
        {
            problems.Add($"{Section}:MaxRetryDelay must be at least FirstRetryDelay, such as 01:00:00.");
        }

        if (MaxAttempts < 1)
        {
            problems.Add($"{Section}:MaxAttempts must be at least 1, such as 15.");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:Timeout must be positive, such as 00:00:15.");
        }

        if (PollInterval <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:PollInterval must be positive, such as 00:00:01.");
        }

        return problems;
    }
}

/// <summary>Checks <see cref="WebhookOptions"/> when the host starts.</summary>
internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options) =>
        options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
