using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Herald.Platforms.Http;

namespace Herald.Platforms.Threads;

/// <summary>
/// The Threads Graph API calls Herald makes, for one account (docs/platforms.md, Threads). The token travels as the
/// <c>access_token</c> parameter — the last form field of a POST, the last query parameter of a GET — as in
/// every official example; the <c>Authorization</c> header is unconfirmed there, so it is not used.
/// </summary>
internal sealed class ThreadsApi(HttpClient client, Uri baseUrl, string userId, string accessToken, TimeProvider timeProvider)
{
    public const string DisplayName = "Threads";

    /// <summary>The largest page of own posts Herald asks for.</summary>
    public const int PageSize = 100;

    /// <summary>The fields of an own-post listing (docs/platforms.md, Threads: "List own posts (dup check)").</summary>
    public const string ListingFields = "id,text,permalink,timestamp";

    /// <summary>The path's user: the account's Threads user id, or <c>me</c>.</summary>
    public string UserId => userId;

    /// <summary>Step 1: <c>POST /{user}/threads</c> with <c>media_type=TEXT</c>, <c>text</c> and, for a reply, <c>reply_to_id</c>.</summary>
    public Task<ThreadsAnswer<ThreadsIdAnswer>> CreateTextContainerAsync(string text, string? replyToId, CancellationToken cancellationToken) =>
        SendAsync<ThreadsIdAnswer>(HttpMethod.Post, $"{userId}/threads", ThreadsForm.TextContainer(text, replyToId), a => !string.IsNullOrEmpty(a.Id), cancellationToken);

    /// <summary><c>POST /{user}/threads</c> with any container's fields (an image, a carousel item, a carousel).</summary>
    public Task<ThreadsAnswer<ThreadsIdAnswer>> CreateContainerAsync(IReadOnlyList<KeyValuePair<string, string>> fields, CancellationToken cancellationToken) =>
        SendAsync<ThreadsIdAnswer>(HttpMethod.Post, $"{userId}/threads", fields, a => !string.IsNullOrEmpty(a.Id), cancellationToken);

    /// <summary><c>GET /{container-id}?fields=status,error_message</c>.</summary>
    public Task<ThreadsAnswer<ThreadsContainerStatus>> ContainerStatusAsync(string containerId, CancellationToken cancellationToken) =>
        SendAsync<ThreadsContainerStatus>(HttpMethod.Get, containerId, [new("fields", "status,error_message")], a => a.Status is not null, cancellationToken);

    /// <summary>Step 2: <c>POST /{user}/threads_publish</c> with <c>creation_id</c>; the answer's id is the post's media id.</summary>
    public Task<ThreadsAnswer<ThreadsIdAnswer>> PublishAsync(string containerId, CancellationToken cancellationToken) =>
        SendAsync<ThreadsIdAnswer>(HttpMethod.Post, $"{userId}/threads_publish", [new("creation_id", containerId)], a => !string.IsNullOrEmpty(a.Id), cancellationToken);

    /// <summary><c>GET /{media-id}?fields=…</c>.</summary>
    public Task<ThreadsAnswer<ThreadsMedia>> MediaAsync(string mediaId, string fields, CancellationToken cancellationToken) =>
        SendAsync<ThreadsMedia>(HttpMethod.Get, mediaId, [new("fields", fields)], _ => true, cancellationToken);

    /// <summary>One page of the account's own posts, newest first, published at or after <paramref name="since"/>.</summary>
    public Task<ThreadsAnswer<ThreadsMediaPage>> OwnPostsAsync(DateTimeOffset? since, string? after, CancellationToken cancellationToken)
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("fields", ListingFields),
            new("limit", PageSize.ToString(CultureInfo.InvariantCulture)),
        };
        if (since is { } from)
        {
            query.Add(new("since", from.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        }

        if (after is not null)
        {
            query.Add(new("after", after));
        }

        return SendAsync<ThreadsMediaPage>(HttpMethod.Get, $"{userId}/threads", query, a => a.Data is not null, cancellationToken);
    }

    /// <summary>
    /// One page of the direct replies to <paramref name="mediaId"/> (<c>GET /{media-id}/replies</c>, Threads' reply
    /// retrieval), with <c>is_reply_owned_by_me</c> to tell the account's own replies from others'.
    /// </summary>
    public Task<ThreadsAnswer<ThreadsMediaPage>> RepliesAsync(string mediaId, string? after, CancellationToken cancellationToken)
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("fields", ListingFields + ",is_reply_owned_by_me"),
            new("limit", PageSize.ToString(CultureInfo.InvariantCulture)),
        };
        if (after is not null)
        {
            query.Add(new("after", after));
        }

        return SendAsync<ThreadsMediaPage>(HttpMethod.Get, $"{mediaId}/replies", query, a => a.Data is not null, cancellationToken);
    }

    /// <summary><c>GET /{user}/threads_publishing_limit</c> with both quotas and their windows.</summary>
    public Task<ThreadsAnswer<ThreadsPublishingLimitAnswer>> PublishingLimitAsync(CancellationToken cancellationToken) =>
        SendAsync<ThreadsPublishingLimitAnswer>(
            HttpMethod.Get, $"{userId}/threads_publishing_limit", [new("fields", "quota_usage,config,reply_quota_usage,reply_config")],
            a => a.Data is { Count: > 0 }, cancellationToken);

    private async Task<ThreadsAnswer<T>> SendAsync<T>(
        HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>> parameters, Func<T, bool> isComplete, CancellationToken cancellationToken)
        where T : class
    {
        var withToken = parameters.Append(new("access_token", accessToken));
        using var message = method == HttpMethod.Post
            ? new HttpRequestMessage(method, PlatformHttp.Combine(baseUrl, path)) { Content = ThreadsForm.Content(withToken) }
            : new HttpRequestMessage(method, PlatformHttp.Combine(baseUrl, path + "?" + ThreadsForm.Query(withToken)));
        message.Headers.UserAgent.Add(new ProductInfoHeaderValue("Herald", "1.0"));

        using var answer = await PlatformHttp.SendAsync(client, message, DisplayName, cancellationToken);
        if (answer.Failure is { } failure)
        {
            return new ThreadsAnswer<T>(null, failure, null, null);
        }

        if (!answer.IsSuccess)
        {
            return new ThreadsAnswer<T>(
                null, ThreadsErrors.Classify(answer.Status, answer.Body, HttpOutcomes.RetryAfter(answer.Response, timeProvider)),
                answer.Status, ThreadsErrors.Parse(answer.Body));
        }

        var value = PlatformHttp.TryDeserialize<T>(answer.Body);
        return value is not null && isComplete(value)
            ? new ThreadsAnswer<T>(value, null, answer.Status, null)
            : new ThreadsAnswer<T>(
                null,
                PublishOutcome.Unknown($"Threads answered {method} /{path} with HTTP {answer.Status} but a body Herald could not read.", answer.Status),
                answer.Status,
                null);
    }
}

/// <summary>What one call came to: the value, or the outcome of its failure with the Graph error behind it.</summary>
/// <param name="Value">The answer, when the call succeeded and said what it should.</param>
/// <param name="Failure">Why there is no value, classified; null on success.</param>
/// <param name="Status">The HTTP status; null when no answer arrived.</param>
/// <param name="Error">The Graph error object of a refusal, if the body was one.</param>
internal sealed record ThreadsAnswer<T>(T? Value, PublishOutcome? Failure, int? Status, GraphError? Error)
    where T : class
{
    /// <summary>Error 24 / 4279009: the container cannot be seen yet.</summary>
    public bool IsNotFoundYet => ThreadsErrors.IsNotFoundYet(Error);

    /// <summary>
    /// The call may have been carried out although no answer says so: no answer after it was sent, a 5xx,
    /// Graph's codes 1 and 2, or a success whose body could not be read.
    /// </summary>
    public bool MayHaveTakenEffect =>
        Failure is { Kind: PublishOutcomeKind.Unknown } || Status >= 500 || ThreadsErrors.MayHaveTakenEffect(Error);
}

/// <summary>Form and query encoding of Graph parameters, shared by the requests and their previews.</summary>
internal static class ThreadsForm
{
    public const string MediaType = "application/x-www-form-urlencoded";

    /// <summary>The fields of a text container (docs/platforms.md, Threads, step 1), without the token.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> TextContainer(string text, string? replyToId)
    {
        var fields = new List<KeyValuePair<string, string>> { new("media_type", "TEXT"), new("text", text) };
        if (replyToId is not null)
        {
            fields.Add(new("reply_to_id", replyToId));
        }

        return fields;
    }

    /// <summary>
    /// An image container (docs/platforms.md, Threads, "Images"): <c>media_type=IMAGE</c>, <c>image_url</c>, and
    /// <c>alt_text</c> when there is one; a carousel item has <c>is_carousel_item=true</c> and no text, a single
    /// image carries the post's text (and <c>reply_to_id</c> for a reply).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ImageContainer(string imageUrl, string? alt, string? text, string? replyToId, bool carouselItem)
    {
        var fields = new List<KeyValuePair<string, string>> { new("media_type", "IMAGE"), new("image_url", imageUrl) };
        if (carouselItem)
        {
            fields.Add(new("is_carousel_item", "true"));
        }

        if (!string.IsNullOrEmpty(alt))
        {
            fields.Add(new("alt_text", alt));
        }

        AddTextAndReply(fields, text, replyToId);
        return fields;
    }

    /// <summary>A carousel container: <c>media_type=CAROUSEL</c>, <c>children</c> (the item containers, comma-separated), <c>text</c>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> CarouselContainer(IReadOnlyList<string> children, string text, string? replyToId)
    {
        var fields = new List<KeyValuePair<string, string>> { new("media_type", "CAROUSEL"), new("children", string.Join(',', children)) };
        AddTextAndReply(fields, text, replyToId);
        return fields;
    }

    private static void AddTextAndReply(List<KeyValuePair<string, string>> fields, string? text, string? replyToId)
    {
        if (!string.IsNullOrEmpty(text))
        {
            fields.Add(new("text", text));
        }

        if (replyToId is not null)
        {
            fields.Add(new("reply_to_id", replyToId));
        }
    }

    /// <summary><c>application/x-www-form-urlencoded</c>, encoded as <see cref="FormUrlEncodedContent"/> does.</summary>
    public static string Encode(IEnumerable<KeyValuePair<string, string>> fields) =>
        string.Join('&', fields.Select(f => $"{Escape(f.Key)}={Escape(f.Value)}"));

    public static HttpContent Content(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(Encode(fields)));
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaType);
        return content;
    }

    /// <summary>A query string; commas stay readable (<c>fields=id,text</c>).</summary>
    public static string Query(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Select(p =>
            $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value).Replace("%2C", ",", StringComparison.Ordinal)}"));

    private static string Escape(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);
}
