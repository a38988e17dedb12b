namespace Herald.Platforms;

/// <summary>Who a platform is: its canonical id, the names users may type for it, and its capabilities.</summary>
public sealed record PlatformDescriptor
{
    /// <summary>The canonical id, lower-case letters and digits, such as <c>devto</c>.</summary>
    public required string Id { get; init; }

    public required string DisplayName { get; init; }

    /// <summary>Other names for the platform (<c>dev.to</c>, <c>dev_to</c>, <c>twitter</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public required PlatformCapabilities Capabilities { get; init; }

    /// <summary>The public API base address, used when an account names none.</summary>
    public required Uri DefaultBaseUrl { get; init; }
}
