using Herald.Contents;

namespace Herald.DependencyInjection;

/// <summary>Herald-wide settings (section <c>Herald</c> in configuration).</summary>
public sealed class HeraldOptions
{
    /// <summary>The configuration section of these settings.</summary>
    public const string Section = "Herald";

    /// <summary>The configuration section of <see cref="Herald.Workers.WorkerOptions"/>, read by the inline run and the workers alike.</summary>
    public const string WorkersSection = "Herald:Workers";

    /// <summary>How many retries a publication gets after a retryable failure. Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// How much content Herald accepts (section <c>Herald:Limits</c>): <c>MaxContentBytes</c> (default 512 KiB),
    /// <c>MaxThreadParts</c> (default 25) and <c>Platforms:{platform}:MaxThreadParts</c>.
    /// </summary>
    public ContentLimits Limits { get; set; } = new();
}
