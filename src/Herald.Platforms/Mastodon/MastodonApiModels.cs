using System.Text.Json.Serialization;

namespace Herald.Platforms.Mastodon;

/// <summary>The JSON body of <c>POST /api/v1/statuses</c> (docs/platforms.md, Mastodon, "Create params").</summary>
internal sealed record MastodonStatusRequest
{
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    /// <summary>The status this one replies to: the previous part of a thread.</summary>
    [JsonPropertyName("in_reply_to_id")]
    public string? InReplyToId { get; init; }

    [JsonPropertyName("visibility")]
    public required string Visibility { get; init; }

    /// <summary>The content warning shown before the text; it counts toward the limit.</summary>
    [JsonPropertyName("spoiler_text")]
    public string? SpoilerText { get; init; }

    [JsonPropertyName("language")]
    public string? Language { get; init; }

    /// <summary>The uploaded images to attach (the first part of a thread only).</summary>
    [JsonPropertyName("media_ids")]
    public IReadOnlyList<string>? MediaIds { get; init; }
}

/// <summary>The fields Herald reads from a MediaAttachment (docs/platforms.md, Mastodon, "Images").</summary>
internal sealed record MastodonMediaAttachment
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("url")]
    public string? Url { get; init; }
}

/// <summary>The fields Herald reads from a Status (docs/platforms.md, Mastodon, "Response").</summary>
internal sealed record MastodonStatus
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>The HTML permalink, such as <c>https://mastodon.social/@Gargron/1</c>.</summary>
    [JsonPropertyName("url")]
    public string? Url { get; init; }

    [JsonPropertyName("in_reply_to_id")]
    public string? InReplyToId { get; init; }

    /// <summary>The text as HTML: paragraphs, line breaks and links marked up.</summary>
    [JsonPropertyName("content")]
    public string? Content { get; init; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>The account of <c>GET /api/v1/accounts/verify_credentials</c>; Herald reads its id.</summary>
internal sealed record MastodonOwnAccount([property: JsonPropertyName("id")] string? Id);

/// <summary>The part of <c>GET /api/v2/instance</c> that says how long a status may be.</summary>
internal sealed record MastodonInstance
{
    [JsonPropertyName("configuration")]
    public MastodonInstanceConfiguration? Configuration { get; init; }
}

internal sealed record MastodonInstanceConfiguration
{
    [JsonPropertyName("statuses")]
    public MastodonStatusesConfiguration? Statuses { get; init; }
}

internal sealed record MastodonStatusesConfiguration
{
    [JsonPropertyName("max_characters")]
    public int? MaxCharacters { get; init; }

    [JsonPropertyName("characters_reserved_per_url")]
    public int? CharactersReservedPerUrl { get; init; }
}
