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
