using System.Text.Json.Serialization;

namespace Herald.Platforms.DevTo;

/// <summary>The create body: Forem only reads an <c>article</c> object (docs/platforms.md, Dev.to, "Create/update request body").</summary>
internal sealed record DevToCreateArticleRequest(
    [property: JsonPropertyName("article")] DevToArticleInput Article);

/// <summary>The <c>article</c> object. Null fields are left out of the JSON.</summary>
internal sealed record DevToArticleInput
{
    [JsonPropertyName("title")]
    public required string Title { get; init; }

    [JsonPropertyName("body_markdown")]
    public required string BodyMarkdown { get; init; }

    [JsonPropertyName("published")]
    public required bool Published { get; init; }

    /// <summary>An array: Forem's controller drops a comma string as an unpermitted parameter (docs/platforms.md, Dev.to).</summary>
    [JsonPropertyName("tags")]
    public IReadOnlyList<string>? Tags { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("canonical_url")]
    public string? CanonicalUrl { get; init; }

    [JsonPropertyName("series")]
    public string? Series { get; init; }

    [JsonPropertyName("main_image")]
    public string? MainImage { get; init; }
}

/// <summary>The fields Herald reads from the show representation (201 on create).</summary>
internal sealed record DevToArticleCreated
{
    [JsonPropertyName("id")]
    public long Id { get; init; }

    [JsonPropertyName("url")]
    public string? Url { get; init; }
}

/// <summary>The fields Herald reads from an item of <c>GET /api/articles/me/all</c>.</summary>
internal sealed record DevToMyArticle
{
    [JsonPropertyName("id")]
    public long Id { get; init; }

    [JsonPropertyName("title")]
    public string? Title { get; init; }

    [JsonPropertyName("url")]
    public string? Url { get; init; }

    [JsonPropertyName("canonical_url")]
    public string? CanonicalUrl { get; init; }

    /// <summary>When it was published; null for a draft.</summary>
    [JsonPropertyName("published_at")]
    public DateTimeOffset? PublishedAt { get; init; }

    [JsonPropertyName("body_markdown")]
    public string? BodyMarkdown { get; init; }
}

/// <summary>Forem's error body: <c>{"error":"…","status":422}</c>.</summary>
internal sealed record DevToErrorBody
{
    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("status")]
    public int? Status { get; init; }
}
