namespace Herald.Sandbox.X;

/// <summary>A user of the simulated X.</summary>
public sealed record XSandboxUser(string Id, string Username, string Name);

/// <summary>A post the simulated X accepted.</summary>
public sealed record XPost
{
    /// <summary>A snowflake id, as a string like every id in API v2.</summary>
    public required string Id { get; init; }

    public required string AuthorId { get; init; }

    /// <summary>The text exactly as sent.</summary>
    public required string Text { get; init; }

    /// <summary>The post this one answers (<c>reply.in_reply_to_tweet_id</c>); null for a post that starts a conversation.</summary>
    public string? InReplyToId { get; init; }

    /// <summary>The id of the first post of the conversation.</summary>
    public required string ConversationId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Its X weighted length, as the sandbox counted it.</summary>
    public required int WeightedLength { get; init; }

    /// <summary>The uploads attached with <c>media.media_ids</c>, in order.</summary>
    public IReadOnlyList<XMedia> Media { get; init; } = [];

    public bool Deleted { get; internal set; }
}

/// <summary>An OAuth 2.0 token pair the sandbox issued.</summary>
/// <param name="AccessToken">Valid until <paramref name="ExpiresAt"/>.</param>
/// <param name="RefreshToken">Single use: a refresh spends it and issues a new pair.</param>
/// <param name="ExpiresAt">When the access token stops working.</param>
public sealed record XTokenPair(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt)
{
    /// <summary>Never prints a token.</summary>
    public override string ToString() => $"(token pair, expires {ExpiresAt:O})";
}

/// <summary>How a request proved who it is.</summary>
internal enum XAuthKind
{
    OAuth2User,
    OAuth1User,
}

/// <summary>Who made a request, or why the sandbox refused it (401, or 403 for an app-only token).</summary>
internal sealed record XCaller(XSandboxUser? User, XAuthKind Kind, int FailureStatus = 0, string? FailureDetail = null)
{
    public bool Authenticated => User is not null;

    /// <summary>The scopes an OAuth 2.0 token was granted (space-separated); null for every scope, and for OAuth 1.0a.</summary>
    public string? Scopes { get; init; }

    /// <summary>Whether the caller may do what <paramref name="scope"/> allows.</summary>
    public bool Has(string scope) => Scopes is null || Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal);
}

/// <summary>What a create came to: the post, or an error status and body; the rate-limit state goes in headers either way.</summary>
internal sealed record XCreateResult(XPost? Post, int Status, object? Error);

/// <summary>The per-user window of <c>POST /2/tweets</c>: limit, what is left, and when it resets.</summary>
internal sealed record XRateWindow(int Limit, int Remaining, DateTimeOffset Reset);
