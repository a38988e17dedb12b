using System.Globalization;
using System.Text.Json.Serialization;

namespace Herald.Platforms.Threads;

/// <summary><c>{"id": …}</c>: a container (from <c>POST /{user}/threads</c>) or a media id (from <c>threads_publish</c>).</summary>
internal sealed record ThreadsIdAnswer
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }
}

/// <summary><c>GET /{container-id}?fields=status,error_message</c> (docs/platforms.md, Threads, "Publishing").</summary>
internal sealed record ThreadsContainerStatus
{
    public const string InProgress = "IN_PROGRESS";
    public const string Finished = "FINISHED";
    public const string Published = "PUBLISHED";
    public const string Error = "ERROR";
    public const string Expired = "EXPIRED";

    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("error_message")]
    public string? ErrorMessage { get; init; }
}

/// <summary>A Threads media object with the fields Herald asks for.</summary>
internal sealed record ThreadsMedia
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("text")]
    public string? Text { get; init; }

    [JsonPropertyName("permalink")]
    public string? Permalink { get; init; }

    /// <summary>ISO 8601 as Graph writes it, such as <c>2026-11-24T09:00:00+0000</c>.</summary>
    [JsonPropertyName("timestamp")]
    public string? Timestamp { get; init; }

    /// <summary>In a reply listing: whether the reply is the account's own.</summary>
    [JsonPropertyName("is_reply_owned_by_me")]
    public bool? IsReplyOwnedByMe { get; init; }

    public DateTimeOffset? PublishedAt =>
        DateTimeOffset.TryParse(Timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}

/// <summary>One page of <c>GET /{user}/threads</c>: <c>{"data":[…],"paging":{"cursors":{"before","after"},"next"}}</c>.</summary>
internal sealed record ThreadsMediaPage
{
    [JsonPropertyName("data")]
    public IReadOnlyList<ThreadsMedia>? Data { get; init; }

    [JsonPropertyName("paging")]
    public ThreadsPaging? Paging { get; init; }
}

internal sealed record ThreadsPaging
{
    [JsonPropertyName("cursors")]
    public ThreadsCursors? Cursors { get; init; }

    /// <summary>Present when there is a further page.</summary>
    [JsonPropertyName("next")]
    public string? Next { get; init; }
}

internal sealed record ThreadsCursors
{
    [JsonPropertyName("before")]
    public string? Before { get; init; }

    [JsonPropertyName("after")]
    public string? After { get; init; }
}

/// <summary><c>GET /{user}/threads_publishing_limit</c>: <c>{"data":[{…}]}</c> (docs/platforms.md, Threads, "Rate limits").</summary>
internal sealed record ThreadsPublishingLimitAnswer
{
    [JsonPropertyName("data")]
    public IReadOnlyList<ThreadsPublishingLimit>? Data { get; init; }
}

internal sealed record ThreadsPublishingLimit
{
    [JsonPropertyName("quota_usage")]
    public int? QuotaUsage { get; init; }

    [JsonPropertyName("config")]
    public ThreadsQuotaConfig? Config { get; init; }

    [JsonPropertyName("reply_quota_usage")]
    public int? ReplyQuotaUsage { get; init; }

    [JsonPropertyName("reply_config")]
    public ThreadsQuotaConfig? ReplyConfig { get; init; }
}

internal sealed record ThreadsQuotaConfig
{
    [JsonPropertyName("quota_total")]
    public int? QuotaTotal { get; init; }

    /// <summary>The rolling window in seconds (86,400).</summary>
    [JsonPropertyName("quota_duration")]
    public int? QuotaDuration { get; init; }
}

/// <summary>Graph's error body: <c>{"error":{…}}</c>.</summary>
internal sealed record GraphErrorAnswer
{
    [JsonPropertyName("error")]
    public GraphError? Error { get; init; }
}

/// <summary>The Graph API error object (docs/platforms.md, Threads, "Errors").</summary>
internal sealed record GraphError
{
    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("code")]
    public int? Code { get; init; }

    [JsonPropertyName("error_subcode")]
    public int? Subcode { get; init; }

    [JsonPropertyName("error_user_title")]
    public string? UserTitle { get; init; }

    [JsonPropertyName("error_user_msg")]
    public string? UserMessage { get; init; }

    [JsonPropertyName("fbtrace_id")]
    public string? TraceId { get; init; }
}
