namespace Herald.Sandbox.Threads;

/// <summary>The permissions a Threads token can carry (docs/platforms.md, Threads, "Auth").</summary>
public static class ThreadsPermissions
{
    public const string Basic = "threads_basic";
    public const string ContentPublish = "threads_content_publish";
    public const string ManageReplies = "threads_manage_replies";

    /// <summary>What a token needs to publish posts and self-threads.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal) { Basic, ContentPublish, ManageReplies };
}

/// <summary>A profile of the simulated Threads, known by its access token.</summary>
/// <param name="Id">The Threads user id (digits); <c>me</c> also names it in paths.</param>
/// <param name="Username">The handle, as it appears in permalinks.</param>
/// <param name="AccessToken">The token that acts as this profile.</param>
/// <param name="Permissions">What the token was granted.</param>
/// <param name="ExpiresAt">When the token stops working (long-lived tokens last 60 days); null for never.</param>
public sealed record ThreadsUser(string Id, string Username, string AccessToken, IReadOnlySet<string> Permissions, DateTimeOffset? ExpiresAt)
{
    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"@{Username} ({Id})";
}

/// <summary>A media container: created by <c>POST /{user}/threads</c>, made public by <c>threads_publish</c>.</summary>
public sealed record ThreadsContainer
{
    public required string Id { get; init; }

    public required string UserId { get; init; }

    public required string Text { get; init; }

    /// <summary><c>TEXT</c>, <c>IMAGE</c> or <c>CAROUSEL</c>.</summary>
    public string MediaType { get; init; } = "TEXT";

    /// <summary>The image Threads downloaded from <c>image_url</c>, for an IMAGE container.</summary>
    public ThreadsImage? Image { get; init; }

    /// <summary>An item of a carousel (<c>is_carousel_item=true</c>): never published on its own.</summary>
    public bool IsCarouselItem { get; init; }

    /// <summary>A carousel's item containers, in order.</summary>
    public IReadOnlyList<string> Children { get; init; } = [];

    /// <summary>The published media this container replies to, when it is a reply.</summary>
    public string? ReplyToId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Status checks still answered with error 24 / 4279009 (not visible yet).</summary>
    public int NotFoundPollsLeft { get; set; }

    /// <summary>Status checks still answered <c>IN_PROGRESS</c>.</summary>
    public int InProgressPollsLeft { get; set; }

    /// <summary>The media id it was published as; null while unpublished.</summary>
    public string? MediaId { get; set; }
}

/// <summary>A published post (or reply) of the simulated Threads.</summary>
public sealed record ThreadsPost
{
    /// <summary>The Threads media id, from another range than container ids.</summary>
    public required string Id { get; init; }

    public required string UserId { get; init; }

    public required string Username { get; init; }

    public required string Text { get; init; }

    /// <summary>The media this post replies to; null for a top-level post.</summary>
    public string? ReplyToId { get; init; }

    /// <summary>The container it was published from.</summary>
    public required string ContainerId { get; init; }

    /// <summary><c>TEXT_POST</c>, <c>IMAGE</c> or <c>CAROUSEL_ALBUM</c>, as Graph names a post's media type.</summary>
    public string MediaType { get; init; } = "TEXT_POST";

    /// <summary>Its images with their alt text, in order (one, or a carousel's).</summary>
    public IReadOnlyList<ThreadsImage> Images { get; init; } = [];

    public required string Shortcode { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Order of publication, to keep posts of the same second in order.</summary>
    internal long Sequence { get; init; }

    public bool IsReply => ReplyToId is not null;

    /// <summary><c>https://www.threads.net/@{username}/post/{shortcode}</c> (docs/platforms.md, Threads).</summary>
    public Uri Permalink => new($"https://www.threads.net/@{Username}/post/{Shortcode}");
}

/// <summary>An image the simulated Threads downloaded for a container.</summary>
/// <param name="ContainerId">The IMAGE container it was downloaded for; the sandbox serves it at <c>/threads/media/{ContainerId}</c>.</param>
/// <param name="Url">The <c>image_url</c> it came from.</param>
/// <param name="AltText">The <c>alt_text</c> ("" for none).</param>
/// <param name="MediaType">The type read from the bytes.</param>
/// <param name="Bytes">What the URL served.</param>
/// <param name="Width">Its width in pixels, from the file header.</param>
/// <param name="Height">Its height in pixels.</param>
public sealed record ThreadsImage(string ContainerId, string Url, string AltText, string MediaType, byte[] Bytes, int Width, int Height);

/// <summary>A Graph API error (docs/platforms.md, Threads, "Errors"): HTTP status and the <c>error</c> object's fields.</summary>
internal sealed record ThreadsGraphError(int HttpStatus, int Code, string Message, int? Subcode = null, string? UserTitle = null, string? UserMessage = null)
{
    public const string OAuthException = "OAuthException";
    public const string GraphMethodException = "GraphMethodException";

    /// <summary>Graph's type: <c>OAuthException</c> for token and permission errors, else <c>GraphMethodException</c>-style.</summary>
    public string Type { get; init; } = OAuthException;
}
