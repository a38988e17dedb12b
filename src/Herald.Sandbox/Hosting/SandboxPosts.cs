using System.Text.Json;

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
public sealed record SandboxPost(string Platform, string Id, string Text, string? ReplyToId, DateTimeOffset CreatedAt);

/// <summary>Reads every platform's stored posts as <see cref="SandboxPost"/>; read-only.</summary>
public static class SandboxPostListing
{
    /// <summary>Every post of <paramref name="platform"/>, or of every platform when it is null, oldest first per platform.</summary>
    public static IReadOnlyList<SandboxPost> List(SandboxState state, string? platform = null)
    {
        var posts = new List<SandboxPost>();
        if (platform is null or "devto")
        {
            posts.AddRange(state.DevTo.Articles.Select(a => new SandboxPost("devto", a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), a.Title + "\n" + a.BodyMarkdown, null, a.CreatedAt)));
        }

        if (platform is null or "linkedin")
        {
            posts.AddRange(state.LinkedIn.Posts.Select(p => new SandboxPost("linkedin", p.Urn, p.Commentary, null, p.CreatedAt)));
        }

        if (platform is null or "x")
        {
            posts.AddRange(state.X.Posts.Select(p => new SandboxPost("x", p.Id, p.Text, p.InReplyToId, p.CreatedAt)));
        }

        if (platform is null or "medium")
        {
            posts.AddRange(state.Medium.Posts.Select(p => new SandboxPost("medium", p.Id, p.Title + "\n" + p.Content, null, p.CreatedAt)));
        }

        if (platform is null or "mastodon")
        {
            posts.AddRange(state.Mastodon.Statuses.Select(s => new SandboxPost("mastodon", s.Id, s.Text, s.InReplyToId, s.CreatedAt)));
        }

        if (platform is null or "bluesky")
        {
            posts.AddRange(state.Bluesky.Records.Select(r => new SandboxPost("bluesky", r.Uri, r.Text, BlueskyParentOf(r.Json), r.IndexedAt)));
        }

        if (platform is null or "threads")
        {
            posts.AddRange(state.Threads.Posts.Select(p => new SandboxPost("threads", p.Id, p.Text, p.ReplyToId, p.Timestamp)));
        }

        return posts;
    }

    /// <summary>A Bluesky reply names its parent in <c>reply.parent.uri</c> of the record as sent.</summary>
    private static string? BlueskyParentOf(string recordJson)
    {
        using var document = JsonDocument.Parse(recordJson);
        return document.RootElement.TryGetProperty("reply", out var reply) &&
            reply.TryGetProperty("parent", out var parent) &&
            parent.TryGetProperty("uri", out var uri)
            ? uri.GetString()
            : null;
    }
}
