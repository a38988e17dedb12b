namespace Herald.Sandbox.Hosting;

/// <summary>
/// One post, article, status or record a simulated platform holds, in one shape for every platform: what a soak
/// or a test compares with Herald's database to find lost, duplicated or out-of-order posts.
/// </summary>
/// <param name="Platform">The platform id (<c>x</c>, <c>medium</c> …).</param>
/// <param name="Id">The platform's id for it (a Bluesky <c>at://</c> URI, a LinkedIn URN).</param>
/// <param name="Text">What was posted: the text, or an article's title, a line break and its body.</param>
/// <param name="ReplyToId">The id of the post it answers (a thread's previous part); null for a top-level post.</param>
/// <param name="CreatedAt">When the platform stored it, on the sandbox clock.</param>
public sealed record SandboxPost(string Platform, string Id, string Text, string? ReplyToId, DateTimeOffset CreatedAt)
{
    /// <summary>The images attached to it, in order, with their alt text.</summary>
    public IReadOnlyList<SandboxImage> Images { get; init; } = [];
}

/// <summary>Reads every platform's stored posts as <see cref="SandboxPost"/>; read-only.</summary>
public static class SandboxPostListing
{
    /// <summary>Every post of <paramref name="platform"/>, or of every platform when it is null, oldest first per platform.</summary>
    public static IReadOnlyList<SandboxPost> List(SandboxState state, string? platform = null) =>
        [.. SandboxPlatforms.All.Where(p => platform is null || p.Id == platform).SelectMany(p => p.ListPosts(state))];
}
