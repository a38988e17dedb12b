using System.Text.Json;
using System.Text.Json.Serialization;

namespace Herald.Platforms.Bluesky;

/// <summary>The body of <c>com.atproto.server.createSession</c> (docs/platforms.md, Bluesky, "Auth").</summary>
internal sealed record BlueskyCreateSessionRequest(
    [property: JsonPropertyName("identifier")] string Identifier,
    [property: JsonPropertyName("password")] string Password);

/// <summary>The answer of <c>createSession</c> and <c>refreshSession</c>.</summary>
internal sealed record BlueskySessionResponse
{
    [JsonPropertyName("accessJwt")]
    public string? AccessJwt { get; init; }

    [JsonPropertyName("refreshJwt")]
    public string? RefreshJwt { get; init; }

    [JsonPropertyName("handle")]
    public string? Handle { get; init; }

    [JsonPropertyName("did")]
    public string? Did { get; init; }

    /// <summary>The DID document; its <c>#atproto_pds</c> service is where repository calls go.</summary>
    [JsonPropertyName("didDoc")]
    public JsonElement? DidDoc { get; init; }
}

/// <summary>The body of <c>com.atproto.repo.createRecord</c> (docs/platforms.md, Bluesky, "Create post").</summary>
internal sealed record BlueskyCreateRecordRequest
{
    [JsonPropertyName("repo")]
    public required string Repo { get; init; }

    [JsonPropertyName("collection")]
    public string Collection { get; init; } = BlueskyPostRecord.Collection;

    /// <summary>The record key Herald chose from the publication's key, so a resend cannot make a second post.</summary>
    [JsonPropertyName("rkey")]
    public required string RecordKey { get; init; }

    [JsonPropertyName("validate")]
    public bool Validate { get; init; } = true;

    [JsonPropertyName("record")]
    public required BlueskyPostRecord Record { get; init; }
}

/// <summary>An <c>app.bsky.feed.post</c> record (docs/platforms.md, Bluesky, "Post record schema").</summary>
internal sealed record BlueskyPostRecord
{
    public const string Collection = "app.bsky.feed.post";

    [JsonPropertyName("$type")]
    public string Type { get; init; } = Collection;

    [JsonPropertyName("text")]
    public required string Text { get; init; }

    [JsonPropertyName("createdAt")]
    public required string CreatedAt { get; init; }

    [JsonPropertyName("langs")]
    public IReadOnlyList<string>? Langs { get; init; }

    [JsonPropertyName("facets")]
    public IReadOnlyList<BlueskyFacet>? Facets { get; init; }

    [JsonPropertyName("reply")]
    public BlueskyReplyRef? Reply { get; init; }

    /// <summary>The images of the first post of a publication.</summary>
    [JsonPropertyName("embed")]
    public BlueskyImagesEmbed? Embed { get; init; }
}

/// <summary>An <c>app.bsky.embed.images</c> embed (docs/platforms.md, Bluesky, "Images").</summary>
internal sealed record BlueskyImagesEmbed
{
    [JsonPropertyName("$type")]
    public string Type { get; init; } = "app.bsky.embed.images";

    [JsonPropertyName("images")]
    public required IReadOnlyList<BlueskyEmbedImage> Images { get; init; }
}

/// <summary>One image: its alt text (required, "" allowed), the blob <c>uploadBlob</c> returned, and its aspect ratio.</summary>
internal sealed record BlueskyEmbedImage(
    [property: JsonPropertyName("alt")] string Alt,
    [property: JsonPropertyName("image")] System.Text.Json.JsonElement Image,
    [property: JsonPropertyName("aspectRatio")] BlueskyAspectRatio? AspectRatio);

internal sealed record BlueskyAspectRatio(
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height);

internal sealed record BlueskyFacet(
    [property: JsonPropertyName("index")] BlueskyByteSlice Index,
    [property: JsonPropertyName("features")] IReadOnlyList<BlueskyFacetFeature> Features);

/// <summary>UTF-8 byte offsets, start inclusive, end exclusive.</summary>
internal sealed record BlueskyByteSlice(
    [property: JsonPropertyName("byteStart")] int ByteStart,
    [property: JsonPropertyName("byteEnd")] int ByteEnd);

/// <summary>One facet feature: a link (<c>uri</c>), a mention (<c>did</c>) or a tag (<c>tag</c>).</summary>
internal sealed record BlueskyFacetFeature
{
    public const string LinkType = "app.bsky.richtext.facet#link";
    public const string MentionType = "app.bsky.richtext.facet#mention";
    public const string TagType = "app.bsky.richtext.facet#tag";

    [JsonPropertyName("$type")]
    public required string Type { get; init; }

    [JsonPropertyName("uri")]
    public string? Uri { get; init; }

    [JsonPropertyName("did")]
    public string? Did { get; init; }

    [JsonPropertyName("tag")]
    public string? Tag { get; init; }
}

/// <summary>A reply's references: the thread's first post and the post replied to.</summary>
internal sealed record BlueskyReplyRef(
    [property: JsonPropertyName("root")] BlueskyStrongRef Root,
    [property: JsonPropertyName("parent")] BlueskyStrongRef Parent);

/// <summary>A <c>com.atproto.repo.strongRef</c>: a record's AT URI and the CID of its content.</summary>
internal sealed record BlueskyStrongRef(
    [property: JsonPropertyName("uri")] string Uri,
    [property: JsonPropertyName("cid")] string Cid)
{
    /// <summary>The record key: the last segment of the AT URI.</summary>
    [JsonIgnore]
    public string RecordKey => Uri[(Uri.LastIndexOf('/') + 1)..];

    /// <summary>How a confirmed thread part is stored: <c>at://did/app.bsky.feed.post/rkey|cid</c>, both halves kept for replies.</summary>
    public string ToPartId() => $"{Uri}|{Cid}";

    /// <summary>Reads a part id written by <see cref="ToPartId"/>; null when it is not one.</summary>
    public static BlueskyStrongRef? FromPartId(string partId)
    {
        var bar = partId.LastIndexOf('|');
        if (bar <= 0 || bar == partId.Length - 1 || !partId.StartsWith("at://", StringComparison.Ordinal))
        {
            return null;
        }

        return new BlueskyStrongRef(partId[..bar], partId[(bar + 1)..]);
    }
}

/// <summary>The answer of <c>createRecord</c> and <c>getRecord</c>: the record's URI and CID.</summary>
internal sealed record BlueskyRecordResponse
{
    [JsonPropertyName("uri")]
    public string? Uri { get; init; }

    [JsonPropertyName("cid")]
    public string? Cid { get; init; }
}

/// <summary>The answer of <c>com.atproto.identity.resolveHandle</c>.</summary>
internal sealed record BlueskyResolveHandleResponse
{
    [JsonPropertyName("did")]
    public string? Did { get; init; }
}
