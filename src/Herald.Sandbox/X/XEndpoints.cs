using System.Globalization;
using System.Text;
using System.Text.Json;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.X;

/// <summary>The X API v2 endpoints Herald uses, per docs/platforms.md, X.</summary>
internal static class XEndpoints
{
    private static readonly string[] KnownTweetFields = ["author_id", "conversation_id", "created_at", "entities", "in_reply_to_user_id", "referenced_tweets"];

    public static RouteGroupBuilder MapX(this RouteGroupBuilder group)
    {
        var v2 = group.MapGroup("/2");
        v2.MapPost("/tweets", CreateAsync);
        v2.MapGet("/tweets/{id}", (HttpContext c, SandboxState s, string id) => WithUser(c, s, _ => Lookup(c, s.X, id)));
        v2.MapDelete("/tweets/{id}", (HttpContext c, SandboxState s, string id) => WithUser(c, s, user => s.X.Delete(user, id)
            ? Results.Json(new { data = new { deleted = true } })
            : Results.Json(XState.Problem(403, "Forbidden", "You are not allowed to delete a Tweet that is not yours or does not exist."), statusCode: 403)));
        v2.MapGet("/users/me", (HttpContext c, SandboxState s) => WithUser(c, s, user =>
            Results.Json(new { data = new { id = user.Id, name = user.Name, username = user.Username } })));
        v2.MapGet("/users/{id}/tweets", (HttpContext c, SandboxState s, string id) => WithUser(c, s, _ => Timeline(c, s.X, id)));
        v2.MapPost("/oauth2/token", TokenAsync);
        v2.MapXMedia();
        group.MapGet("/media/{id}", (SandboxState s, string id) =>
            s.X.Media.Find(id) is { } media ? Results.File(media.Bytes, media.MediaType) : Results.Json(XState.Problem(404, "Not Found", "No such media."), statusCode: 404));
        return group;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, SandboxState sandbox)
    {
        var state = sandbox.X;
        var caller = state.Authenticate(context.Request, formBody: null);
        if (!caller.Authenticated)
        {
            return Refused(caller);
        }

        var user = caller.User!;
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Results.Json(XState.Problem(400, "Invalid Request", "Requests with bodies must have content-type of application/json."), statusCode: 400);
        }

        // Every create counts against the window, and every answer carries its state (docs/platforms.md, X, "Rate limits").
        if (Limited(context, state.CountCreate(user)) is { } tooMany)
        {
            return tooMany;
        }

        await state.WaitIfHeldAsync(context.RequestAborted);

        string? text;
        string? inReplyTo = null;
        List<string>? mediaIds = null;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var root = document.RootElement;
            text = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("reply", out var reply))
            {
                if (reply.ValueKind != JsonValueKind.Object || !reply.TryGetProperty("in_reply_to_tweet_id", out var parent) || parent.ValueKind != JsonValueKind.String)
                {
                    return InvalidRequest("reply.in_reply_to_tweet_id", "$.reply.in_reply_to_tweet_id must be a string id.");
                }

                inReplyTo = parent.GetString();
            }

            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("media", out var media))
            {
                if (media.ValueKind != JsonValueKind.Object || !media.TryGetProperty("media_ids", out var ids) || ids.ValueKind != JsonValueKind.Array)
                {
                    return InvalidRequest("media.media_ids", "$.media.media_ids must be an array of 1 to 4 media ids.");
                }

                // A number instead of a string is not a valid id: it fails the id pattern as "".
                mediaIds = [.. ids.EnumerateArray().Select(id => id.ValueKind == JsonValueKind.String ? id.GetString()! : "")];
            }
        }
        catch (JsonException)
        {
            return InvalidRequest("body", "The request body is not valid JSON.");
        }

        if (text is null && mediaIds is null)
        {
            return InvalidRequest("text", "$.text is required (a post without media needs text).");
        }

        var result = state.Create(user, text ?? "", inReplyTo, mediaIds);
        return result.Post is { } post
            ? Results.Json(new { data = new { id = post.Id, text = post.Text, edit_history_tweet_ids = new[] { post.Id } } }, statusCode: 201)
            : Results.Json(result.Error, statusCode: result.Status);
    }

    /// <summary><c>POST /2/oauth2/token</c>, the refresh-token grant (form body; a confidential client authenticates with Basic).</summary>
    private static async Task<IResult> TokenAsync(HttpContext context, SandboxState sandbox)
    {
        if (!context.Request.HasFormContentType)
        {
            return OAuthError("invalid_request", "Content-Type must be application/x-www-form-urlencoded.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["grant_type"] != "refresh_token")
        {
            return OAuthError("unsupported_grant_type", "Only grant_type=refresh_token is simulated.");
        }

        string? clientId = form["client_id"];
        string? clientSecret = null;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim())).Split(':', 2);
            clientId ??= Uri.UnescapeDataString(pair[0]);
            clientSecret = pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null;
        }

        var (tokens, error) = sandbox.X.Refresh(form["refresh_token"], clientId, clientSecret);
        if (tokens is null)
        {
            return error == "invalid_client"
                ? OAuthError(error, "Missing valid authorization header", 401)
                : OAuthError(error!, "Value passed for the token was invalid.");
        }

        var seconds = (int)Math.Round((tokens.ExpiresAt - sandbox.TimeProvider.GetUtcNow()).TotalSeconds);
        return Results.Json(new
        {
            token_type = "bearer",
            expires_in = seconds,
            access_token = tokens.AccessToken,
            scope = sandbox.X.ScopesOf(clientId!),
            refresh_token = tokens.RefreshToken,
        });
    }

    private static IResult Lookup(HttpContext context, XState state, string id)
    {
        var post = state.Find(id);
        return post is null
            ? Results.Json(new
            {
                errors = new[]
                {
                    new
                    {
                        value = id, detail = $"Could not find tweet with id: [{id}].", title = "Not Found Error", resource_type = "tweet",
                        parameter = "id", resource_id = id, type = "https://api.twitter.com/2/problems/resource-not-found",
                    },
                },
            })
            : Results.Json(new { data = TweetJson(post, Fields(context), state) });
    }

    /// <summary>
    /// <c>GET /2/users/:id/tweets</c>: newest first, <c>max_results</c> 5–100 (default 10), <c>pagination_token</c> (the
    /// <c>next_token</c> of the page before), and <c>start_time</c> (ISO 8601 UTC, inclusive: no older posts).
    /// </summary>
    private static IResult Timeline(HttpContext context, XState state, string userId)
    {
        var query = context.Request.Query;
        var maxResults = 10;
        if (query.ContainsKey("max_results") &&
            (!int.TryParse(query["max_results"], NumberStyles.Integer, CultureInfo.InvariantCulture, out maxResults) || maxResults is < 5 or > 100))
        {
            return InvalidRequest("max_results", $"The `max_results` query parameter value [{query["max_results"]}] is not between 5 and 100");
        }

        if (state.FindUser(userId) is null)
        {
            return Results.Json(new { errors = new[] { new { value = userId, detail = $"Could not find user with id: [{userId}].", title = "Not Found Error", type = "https://api.twitter.com/2/problems/resource-not-found" } } });
        }

        var posts = state.Timeline(userId);
        if (query["start_time"].ToString() is { Length: > 0 } startTime)
        {
            if (!DateTimeOffset.TryParse(startTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var from))
            {
                return InvalidRequest("start_time", $"Invalid 'start_time':'{startTime}'. 'start_time' must be a valid RFC 3339 date-time.");
            }

            posts = [.. posts.Where(p => p.CreatedAt >= from)];
        }

        var start = 0;
        if (query["pagination_token"].ToString() is { Length: > 0 } token)
        {
            var index = posts.ToList().FindIndex(p => p.Id == token);
            if (index < 0)
            {
                return InvalidRequest("pagination_token", "The `pagination_token` query parameter value is not valid.");
            }

            start = index;
        }

        var page = posts.Skip(start).Take(maxResults).ToList();
        var fields = Fields(context);
        var next = start + page.Count < posts.Count ? posts[start + page.Count].Id : null;
        if (page.Count == 0)
        {
            return Results.Json(new { meta = new { result_count = 0 } });
        }

        return Results.Json(new
        {
            data = page.Select(p => TweetJson(p, fields, state)).ToList(),
            meta = new { result_count = page.Count, newest_id = page[0].Id, oldest_id = page[^1].Id, next_token = next },
        });
    }

    /// <summary>
    /// <c>id</c>, <c>text</c> and <c>edit_history_tweet_ids</c> always; other fields only when <c>tweet.fields</c> asks.
    /// A post with images reads back with a t.co link to them at the end of its text, named in <c>entities.urls</c>
    /// with the first image's <c>media_key</c> (the sandbox shortens no other link).
    /// </summary>
    private static Dictionary<string, object?> TweetJson(XPost post, IReadOnlySet<string> fields, XState state)
    {
        var text = post.Text;
        object? mediaLink = null;
        if (post.Media.Count > 0)
        {
            var shortened = $"https://t.co/{post.Id[^10..]}";
            var username = state.FindUser(post.AuthorId)?.Username ?? "i";
            text = text.Length == 0 ? shortened : $"{text} {shortened}";
            mediaLink = new
            {
                start = text.Length - shortened.Length,
                end = text.Length,
                url = shortened,
                expanded_url = $"https://x.com/{username}/status/{post.Id}/photo/1",
                display_url = $"pic.x.com/{post.Id[^10..]}",
                media_key = post.Media[0].MediaKey,
            };
        }

        var json = new Dictionary<string, object?> { ["id"] = post.Id, ["text"] = text, ["edit_history_tweet_ids"] = new[] { post.Id } };
        if (fields.Contains("entities") && mediaLink is not null)
        {
            json["entities"] = new { urls = new[] { mediaLink } };
        }

        if (fields.Contains("author_id"))
        {
            json["author_id"] = post.AuthorId;
        }

        if (fields.Contains("conversation_id"))
        {
            json["conversation_id"] = post.ConversationId;
        }

        if (fields.Contains("created_at"))
        {
            json["created_at"] = post.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }

        if (post.InReplyToId is { } parent)
        {
            if (fields.Contains("referenced_tweets"))
            {
                json["referenced_tweets"] = new[] { new { type = "replied_to", id = parent } };
            }

            if (fields.Contains("in_reply_to_user_id"))
            {
                json["in_reply_to_user_id"] = post.AuthorId;
            }
        }

        return json;
    }

    private static HashSet<string> Fields(HttpContext context) =>
        context.Request.Query["tweet.fields"].ToString()
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(f => KnownTweetFields.Contains(f, StringComparer.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Puts the window's state in the <c>x-rate-limit-*</c> headers; the 429 to answer when it was used up.</summary>
    internal static IResult? Limited(HttpContext context, (bool Allowed, XRateWindow Window) count)
    {
        var (allowed, window) = count;
        var headers = context.Response.Headers;
        headers["x-rate-limit-limit"] = window.Limit.ToString(CultureInfo.InvariantCulture);
        headers["x-rate-limit-remaining"] = window.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["x-rate-limit-reset"] = Math.Ceiling(window.Reset.ToUnixTimeMilliseconds() / 1000.0).ToString(CultureInfo.InvariantCulture);
        return allowed ? null : Results.Json(XState.Problem(429, "Too Many Requests", "Too Many Requests"), statusCode: 429);
    }

    private static IResult WithUser(HttpContext context, SandboxState sandbox, Func<XSandboxUser, IResult> then)
    {
        var caller = sandbox.X.Authenticate(context.Request, formBody: null);
        return caller.Authenticated ? then(caller.User!) : Refused(caller);
    }

    internal static IResult Refused(XCaller caller) => caller.FailureStatus == 403
        ? Results.Json(new { title = "Unsupported Authentication", detail = caller.FailureDetail, type = "https://api.twitter.com/2/problems/unsupported-authentication", status = 403 }, statusCode: 403)
        : Results.Json(XState.Problem(401, "Unauthorized", "Unauthorized"), statusCode: 401);

    internal static IResult InvalidRequest(string parameter, string message) => Results.Json(new
    {
        errors = new[] { new { parameters = new Dictionary<string, string[]> { [parameter] = [] }, message } },
        title = "Invalid Request",
        detail = "One or more parameters to your request was invalid.",
        type = "https://api.twitter.com/2/problems/invalid-request",
    }, statusCode: 400);

    private static IResult OAuthError(string error, string description, int status = 400) =>
        Results.Json(new { error, error_description = description }, statusCode: status);
}
