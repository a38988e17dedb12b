using System.Text.Json.Serialization;

namespace Herald.Platforms.X;

/// <summary>The body of <c>POST /2/tweets</c> (docs/platforms.md, X, "Create body"): the text, and for a thread part the post it answers.</summary>
internal sealed record XCreateTweetRequest
{
    [JsonPropertyName("text")]
    public required string Text { get; init; }

    [JsonPropertyName("reply")]
    public XReply? Reply { get; init; }

    /// <summary>The images of the first part: <c>{"media_ids":[…]}</c>, 1 to 4 ids.</summary>
    [JsonPropertyName("media")]
    public XCreateMedia? Media { get; init; }
}

/// <summary><c>media</c> of a create: the ids of uploads, in the order they show.</summary>
internal sealed record XCreateMedia([property: JsonPropertyName("media_ids")] IReadOnlyList<string> MediaIds);

/// <summary><c>{"data":{"id","media_key",…}}</c>, the answer of <c>POST /2/media/upload</c>.</summary>
internal sealed record XMediaUploaded([property: JsonPropertyName("data")] XMediaUploadedData? Data);

internal sealed record XMediaUploadedData(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("media_key")] string? MediaKey);

/// <summary>The body of <c>POST /2/media/metadata</c>: <c>{"id":…,"metadata":{"alt_text":{"text":…}}}</c>.</summary>
internal sealed record XMediaMetadataRequest(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("metadata")] XMediaMetadata Metadata);

internal sealed record XMediaMetadata([property: JsonPropertyName("alt_text")] XAltText AltText);

internal sealed record XAltText([property: JsonPropertyName("text")] string Text);

/// <summary>All ids are strings in X's API v2.</summary>
internal sealed record XReply([property: JsonPropertyName("in_reply_to_tweet_id")] string InReplyToTweetId);

/// <summary><c>{"data":{"id","text"}}</c>, the 201 answer of a create.</summary>
internal sealed record XTweetCreated([property: JsonPropertyName("data")] XTweet? Data);

/// <summary>A post as the API returns it; the optional fields only when asked for with <c>tweet.fields</c>.</summary>
internal sealed record XTweet
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("text")]
    public string? Text { get; init; }

    [JsonPropertyName("referenced_tweets")]
    public IReadOnlyList<XReferencedTweet>? ReferencedTweets { get; init; }

    [JsonPropertyName("entities")]
    public XEntities? Entities { get; init; }
}

/// <summary><c>{"type":"replied_to"|"quoted"|"retweeted","id":…}</c>.</summary>
internal sealed record XReferencedTweet(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("id")] string? Id);

internal sealed record XEntities([property: JsonPropertyName("urls")] IReadOnlyList<XUrlEntity>? Urls);

/// <summary>
/// A link X rewrote: <c>url</c> is the t.co form in the text, <c>expanded_url</c> what was written; or, with a
/// <c>media_key</c>, the link X adds to the text of a post with images.
/// </summary>
internal sealed record XUrlEntity(
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("expanded_url")] string? ExpandedUrl,
    [property: JsonPropertyName("media_key")] string? MediaKey = null);

/// <summary>A page of <c>GET /2/users/:id/tweets</c>; <c>data</c> is absent when the timeline is empty.</summary>
internal sealed record XTimelinePage(
    [property: JsonPropertyName("data")] IReadOnlyList<XTweet>? Data,
    [property: JsonPropertyName("meta")] XTimelineMeta? Meta = null);

/// <summary>A timeline page's <c>meta</c>: <c>next_token</c> names the next (older) page, absent on the last.</summary>
internal sealed record XTimelineMeta([property: JsonPropertyName("next_token")] string? NextToken);

/// <summary><c>GET /2/users/me</c>: <c>{"data":{"id","name","username"}}</c>.</summary>
internal sealed record XMe([property: JsonPropertyName("data")] XUser? Data);

internal sealed record XUser(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("username")] string? Username);

/// <summary>The answer of <c>POST /2/oauth2/token</c> (RFC 6749 §5.1).</summary>
internal sealed record XTokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }

    [JsonPropertyName("expires_in")]
    public int? ExpiresIn { get; init; }

    /// <summary>The scopes the new token carries, space-separated.</summary>
    [JsonPropertyName("scope")]
    public string? Scope { get; init; }
}
