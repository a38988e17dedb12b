using System.Text.Json.Serialization;

namespace Herald.Platforms.LinkedIn;

/// <summary>The body of <c>POST /rest/posts</c> for a text post (docs/platforms.md, LinkedIn, "Create").</summary>
internal sealed record LinkedInPostRequest
{
    [JsonPropertyName("author")]
    public required string Author { get; init; }

    /// <summary>Little text: every reserved character escaped, hashtags as templates.</summary>
    [JsonPropertyName("commentary")]
    public required string Commentary { get; init; }

    [JsonPropertyName("visibility")]
    public required string Visibility { get; init; }

    [JsonPropertyName("distribution")]
    public LinkedInDistribution Distribution { get; init; } = new();

    /// <summary>The images, when the content has any.</summary>
    [JsonPropertyName("content")]
    public LinkedInPostContent? Content { get; init; }

    [JsonPropertyName("lifecycleState")]
    public string LifecycleState { get; init; } = "PUBLISHED";

    [JsonPropertyName("isReshareDisabledByAuthor")]
    public bool IsReshareDisabledByAuthor { get; init; }
}

internal sealed record LinkedInDistribution
{
    [JsonPropertyName("feedDistribution")]
    public string FeedDistribution { get; init; } = "MAIN_FEED";

    [JsonPropertyName("targetEntities")]
    public IReadOnlyList<object> TargetEntities { get; init; } = [];

    [JsonPropertyName("thirdPartyDistributionChannels")]
    public IReadOnlyList<object> ThirdPartyDistributionChannels { get; init; } = [];
}

/// <summary>A post's images: <c>media</c> for one, <c>multiImage</c> for 2 to 20 (docs/platforms.md, LinkedIn, "Images").</summary>
internal sealed record LinkedInPostContent
{
    [JsonPropertyName("media")]
    public LinkedInPostImage? Media { get; init; }

    [JsonPropertyName("multiImage")]
    public LinkedInMultiImage? MultiImage { get; init; }
}

/// <summary>One image on a post: its URN and, unless the content opted out, its alt text.</summary>
internal sealed record LinkedInPostImage(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("altText")] string? AltText);

internal sealed record LinkedInMultiImage([property: JsonPropertyName("images")] IReadOnlyList<LinkedInPostImage> Images);

/// <summary>The body of <c>POST /rest/images?action=initializeUpload</c>.</summary>
internal sealed record LinkedInInitializeUpload(
    [property: JsonPropertyName("initializeUploadRequest")] LinkedInInitializeUploadRequest InitializeUploadRequest);

internal sealed record LinkedInInitializeUploadRequest([property: JsonPropertyName("owner")] string Owner);

/// <summary><c>{"value":{…}}</c>: how a Rest.li action answers.</summary>
internal sealed record LinkedInValue<T>([property: JsonPropertyName("value")] T? Value)
    where T : class;

/// <summary>What initializeUpload answers: where to PUT the bytes, until when, and the image's URN.</summary>
internal sealed record LinkedInUploadTicket(
    [property: JsonPropertyName("uploadUrl")] string? UploadUrl,
    [property: JsonPropertyName("uploadUrlExpiresAt")] long? UploadUrlExpiresAt,
    [property: JsonPropertyName("image")] string? Image);

/// <summary>The field Herald reads from <c>GET /rest/images/{urn}</c>.</summary>
internal sealed record LinkedInImageStatus([property: JsonPropertyName("status")] string? Status);
