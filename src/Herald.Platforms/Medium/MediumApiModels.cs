using System.Text.Json.Serialization;

namespace Herald.Platforms.Medium;

/// <summary>The body of <c>POST /v1/users/{authorId}/posts</c> (docs/platforms.md, Medium, "Create body"). Null fields are left out.</summary>
internal sealed record MediumCreatePostRequest
{
    [JsonPropertyName("title")]
    public required string Title { get; init; }

    [JsonPropertyName("contentFormat")]
    public string ContentFormat { get; init; } = "markdown";

    /// <summary>Medium shows only what is in the content, so it starts with the title as a heading.</summary>
    [JsonPropertyName("content")]
    public required string Content { get; init; }

    [JsonPropertyName("tags")]
    public IReadOnlyList<string>? Tags { get; init; }

    [JsonPropertyName("canonicalUrl")]
    public string? CanonicalUrl { get; init; }

    [JsonPropertyName("publishStatus")]
    public required string PublishStatus { get; init; }

    [JsonPropertyName("license")]
    public string? License { get; init; }
}

/// <summary><c>{"data":{…}}</c>: every Medium answer wraps its object.</summary>
internal sealed record MediumEnvelope<T>([property: JsonPropertyName("data")] T? Data)
    where T : class;

/// <summary>The fields Herald reads from <c>GET /v1/me</c>.</summary>
internal sealed record MediumUser(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("username")] string? Username);

/// <summary>The fields Herald reads from the 201 answer of a create.</summary>
internal sealed record MediumPostCreated(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("url")] string? Url);

/// <summary>The fields Herald reads from the 201 answer of <c>POST /v1/images</c>.</summary>
internal sealed record MediumImageUploaded(
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("md5")] string? Md5);
