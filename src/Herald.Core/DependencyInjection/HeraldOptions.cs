namespace Herald.DependencyInjection;

/// <summary>Herald-wide settings (section <c>Herald</c> in configuration).</summary>
public sealed class HeraldOptions
{
    /// <summary>How many retries a publication gets after a retryable failure. Default 3.</summary>
    public int MaxRetries { get; set; } = 3;
}
