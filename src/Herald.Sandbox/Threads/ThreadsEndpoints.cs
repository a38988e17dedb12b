using System.Globalization;
using System.Text;
using Herald.Sandbox.Hosting;
using Microsoft.AspNetCore.WebUtilities;

namespace Herald.Sandbox.Threads;

/// <summary>
/// The Threads Graph API under <c>/v1.0</c> (docs/platforms.md, Threads): containers, their status, <c>threads_publish</c>,
/// media and own-post reads, and the publishing limit. The token is the <c>access_token</c> parameter, in the
/// query or the form; an <c>Authorization: Bearer</c> header is not read, since docs/platforms.md leaves it
/// unconfirmed.
/// </summary>
internal static class ThreadsEndpoints
{
    private const int DefaultPageSize = 25;
    private const int MaxPageSize = 100;

    private static readonly string[] MediaFields =
        ["id", "media_product_type", "media_type", "permalink", "owner", "username", "text", "timestamp", "shortcode", "is_quote_post", "alt_text"];

    private static readonly string[] ContainerFields = ["id", "status", "error_message"];
    private static readonly string[] UserFields = ["id", "username"];
    private static readonly string[] LimitFields = ["quota_usage", "config", "reply_quota_usage", "reply_config"];

    public static RouteGroupBuilder MapThreads(this RouteGroupBuilder group)
    {
        var api = group.MapGroup("/v1.0");
        api.MapPost("/{userId}/threads", CreateContainerAsync);
        api.MapGet("/{userId}/threads", ListPostsAsync);
        api.MapPost("/{userId}/threads_publish", PublishAsync);
        api.MapGet("/{userId}/threads_publishing_limit", PublishingLimitAsync);
        api.MapGet("/{id}/replies", ListRepliesAsync);
        api.MapGet("/debug_token", DebugTokenAsync);
        api.MapGet("/{id}", ReadNodeAsync);
        // Not Graph: where the sandbox's pages show the images it downloaded.
        group.MapGet("/media/{containerId}", (SandboxState sandbox, string containerId) =>
            sandbox.Threads.ImageOf(containerId) is { } image ? Results.Bytes(image.Bytes, image.MediaType) : Results.NotFound());
        return group;
    }

    private static async Task<IResult> CreateContainerAsync(HttpContext context, SandboxState sandbox, string userId)
    {
        var state = sandbox.Threads;
        var (parameters, user, refused) = await AuthorizeAsync(context, state, userId);
        if (refused is not null)
        {
            return refused;
        }

        var mediaType = parameters.GetValueOrDefault("media_type");
        ThreadsImage? image = null;
        if (mediaType == "IMAGE" && parameters.GetValueOrDefault("image_url") is { Length: > 0 } url)
        {
            if (parameters.GetValueOrDefault("alt_text") is { Length: > ThreadsImageFetch.MaxAltText })
            {
                return Error(state, ThreadsState.InvalidParameter($"Param alt_text must be at most {ThreadsImageFetch.MaxAltText} characters long."));
            }

            // Threads downloads the image itself, when the container is made.
            var (fetched, fetchError) = await ThreadsImageFetch.FetchAsync(url, parameters.GetValueOrDefault("alt_text"), context.RequestAborted);
            if (fetchError is not null)
            {
                return Error(state, fetchError);
            }

            image = fetched;
        }

        var media = new ThreadsContainerMedia
        {
            Image = image,
            IsCarouselItem = parameters.GetValueOrDefault("is_carousel_item") == "true",
            Children = parameters.GetValueOrDefault("children")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [],
        };
        var (container, error) = state.CreateContainer(
            user!, mediaType, parameters.GetValueOrDefault("text"),
            parameters.GetValueOrDefault("reply_to_id"), parameters.GetValueOrDefault("reply_control"), media);
        return error is not null ? Error(state, error) : Results.Json(new { id = container!.Id });
    }

    private static async Task<IResult> PublishAsync(HttpContext context, SandboxState sandbox, string userId)
    {
        var state = sandbox.Threads;
        var (parameters, user, refused) = await AuthorizeAsync(context, state, userId);
        if (refused is not null)
        {
            return refused;
        }

        var (post, error) = state.Publish(user!, parameters.GetValueOrDefault("creation_id"));
        return error is not null ? Error(state, error) : Results.Json(new { id = post!.Id });
    }

    private static async Task<IResult> ListPostsAsync(HttpContext context, SandboxState sandbox, string userId)
    {
        var state = sandbox.Threads;
        var (parameters, user, refused) = await AuthorizeAsync(context, state, userId);
        if (refused is not null)
        {
            return refused;
        }

        var (fields, badField) = Fields(parameters, MediaFields, "id");
        if (badField is not null)
        {
            return Error(state, NonexistingField(badField, "ThreadsMedia"));
        }

        if (!TryNumber(parameters, "limit", out var limit) || limit is <= 0)
        {
            return Error(state, ThreadsState.InvalidParameter("Param limit must be a positive integer."));
        }

        if (!TryNumber(parameters, "since", out var since) || !TryNumber(parameters, "until", out var until))
        {
            return Error(state, ThreadsState.InvalidParameter("Params since and until must be Unix timestamps in seconds."));
        }

        var after = Cursor(parameters.GetValueOrDefault("after"));
        var before = Cursor(parameters.GetValueOrDefault("before"));
        var size = (int)Math.Min(limit ?? DefaultPageSize, MaxPageSize);
        var (page, hasMore, cursorKnown) = state.ListPosts(user!, since, until, size, after, before);
        if (!cursorKnown)
        {
            return Error(state, ThreadsState.InvalidParameter("The cursor is not valid for this listing."));
        }

        var body = new Dictionary<string, object?> { ["data"] = page.Select(p => MediaJson(p, fields)).ToList() };
        if (page.Count > 0)
        {
            var paging = new Dictionary<string, object?>
            {
                ["cursors"] = new { before = EncodeCursor(page[0].Id), after = EncodeCursor(page[^1].Id) },
            };
            if (hasMore)
            {
                paging["next"] = NextPageUrl(context, EncodeCursor(page[^1].Id));
            }

            body["paging"] = paging;
        }

        return Results.Json(body);
    }

    private static async Task<IResult> PublishingLimitAsync(HttpContext context, SandboxState sandbox, string userId)
    {
        var state = sandbox.Threads;
        var (parameters, user, refused) = await AuthorizeAsync(context, state, userId);
        if (refused is not null)
        {
            return refused;
        }

        var (fields, badField) = Fields(parameters, LimitFields, "quota_usage");
        if (badField is not null)
        {
            return Error(state, NonexistingField(badField, "ThreadsPublishingLimit"));
        }

        if (sandbox.Options.DisableRateLimits)
        {
            // Limits off: no quota to report, so a client that reads it is never held back.
            return Results.Json(new { data = Array.Empty<object>() });
        }

        var (posts, replies) = state.Usage(user!);
        var duration = (int)ThreadsState.QuotaWindow.TotalSeconds;
        var entry = new Dictionary<string, object?>();
        foreach (var field in fields)
        {
            entry[field] = field switch
            {
                "quota_usage" => posts,
                "config" => new { quota_total = sandbox.Options.Threads.PostsPer24Hours, quota_duration = duration },
                "reply_quota_usage" => replies,
                _ => new { quota_total = sandbox.Options.Threads.RepliesPer24Hours, quota_duration = duration },
            };
        }

        return Results.Json(new { data = new[] { entry } });
    }

    /// <summary><c>GET /{id}</c>: the profile (<c>me</c> or its id), a container's status, or a published post.</summary>
    /// <summary>
    /// <c>GET /{media-id}/replies</c>: the post's direct replies (Threads' reply retrieval), with the media fields and
    /// <c>is_reply_owned_by_me</c>; <c>limit</c> and the <c>after</c> cursor page them.
    /// </summary>
    private static async Task<IResult> ListRepliesAsync(HttpContext context, SandboxState sandbox, string id)
    {
        var state = sandbox.Threads;
        var (parameters, user, refused) = await AuthorizeAsync(context, state, "me");
        if (refused is not null)
        {
            return refused;
        }

        var (fields, badField) = Fields(parameters, [.. MediaFields, "is_reply_owned_by_me"], "id");
        if (badField is not null)
        {
            return Error(state, NonexistingField(badField, "ThreadsMedia"));
        }

        if (!TryNumber(parameters, "limit", out var limit) || limit is <= 0)
        {
            return Error(state, ThreadsState.InvalidParameter("Param limit must be a positive integer."));
        }

        if (state.RepliesTo(user!, id) is not { } replies)
        {
            return Error(state, UnsupportedRequest("get", id));
        }

        var after = Cursor(parameters.GetValueOrDefault("after"));
        var start = after is null ? 0 : replies.ToList().FindIndex(p => p.Id == after) + 1;
        if (after is not null && start == 0)
        {
            return Error(state, ThreadsState.InvalidParameter("The cursor is not valid for this listing."));
        }

        var size = (int)Math.Min(limit ?? DefaultPageSize, MaxPageSize);
        var page = replies.Skip(start).Take(size).ToList();
        var data = page.Select(p =>
        {
            var json = MediaJson(p, [.. fields.Where(f => f != "is_reply_owned_by_me")]);
            if (fields.Contains("is_reply_owned_by_me"))
            {
                json["is_reply_owned_by_me"] = p.UserId == user!.Id;
            }

            return json;
        }).ToList();
        var body = new Dictionary<string, object?> { ["data"] = data };
        if (page.Count > 0)
        {
            var paging = new Dictionary<string, object?> { ["cursors"] = new { before = EncodeCursor(page[0].Id), after = EncodeCursor(page[^1].Id) } };
            if (start + page.Count < replies.Count)
            {
                paging["next"] = NextPageUrl(context, EncodeCursor(page[^1].Id));
            }

            body["paging"] = paging;
        }

        return Results.Json(body);
    }

    private static async Task<IResult> ReadNodeAsync(HttpContext context, SandboxState sandbox, string id)
    {
        var state = sandbox.Threads;
        var (parameters, user, refused) = await AuthorizeAsync(context, state, "me");
        if (refused is not null)
        {
            return refused;
        }

        if (id == "me" || id == user!.Id)
        {
            var (userFields, badUserField) = Fields(parameters, UserFields, "id");
            return badUserField is not null
                ? Error(state, NonexistingField(badUserField, "ThreadsUser"))
                : Results.Json(userFields.ToDictionary(f => f, f => f == "id" ? user!.Id : user!.Username));
        }

        if (state.IsContainerOf(user, id))
        {
            var (containerFields, badContainerField) = Fields(parameters, ContainerFields, "id");
            if (badContainerField is not null)
            {
                return Error(state, NonexistingField(badContainerField, "ThreadsMediaContainer"));
            }

            var (status, error) = state.CheckContainer(user, id)!.Value;
            if (error is not null)
            {
                return Error(state, error);
            }

            // error_message is only set for a container in ERROR, which a text container never reaches here.
            var body = new Dictionary<string, object?>();
            if (containerFields.Contains("status"))
            {
                body["status"] = status;
            }

            body["id"] = id;
            return Results.Json(body);
        }

        if (state.FindPost(user, id) is { } post)
        {
            var (fields, badField) = Fields(parameters, MediaFields, "id");
            return badField is not null ? Error(state, NonexistingField(badField, "ThreadsMedia")) : Results.Json(MediaJson(post, fields));
        }

        return Error(state, UnsupportedRequest("get", id));
    }

    /// <summary>Query parameters, then form fields (a POST's form wins), as Graph reads them.</summary>
    private static async Task<Dictionary<string, string>> ParametersAsync(HttpContext context)
    {
        var parameters = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            foreach (var (key, value) in form)
            {
                parameters[key] = value.ToString();
            }
        }

        return parameters;
    }

    /// <summary>
    /// The request's parameters and the profile of its <c>access_token</c> parameter, which must be the path's
    /// <c>me</c> or user id; or the Graph error refusing it.
    /// </summary>
    /// <summary>
    /// <c>GET /debug_token?input_token=…&amp;access_token=…</c>: what Threads knows of <c>input_token</c>: whether it is
    /// valid, whose it is, when it expires (0 for never) and its permissions (<c>scopes</c>). The caller's own token
    /// must be valid; an unknown or expired input token answers 200 with <c>is_valid</c> false, as the Graph API does.
    /// </summary>
    private static async Task<IResult> DebugTokenAsync(HttpContext context, SandboxState sandbox)
    {
        var state = sandbox.Threads;
        var (parameters, _, refused) = await AuthorizeAsync(context, state, "me");
        if (refused is not null)
        {
            return refused;
        }

        if (parameters.GetValueOrDefault("input_token") is not { Length: > 0 } input)
        {
            return Error(state, new ThreadsGraphError(400, 100, "The parameter input_token is required"));
        }

        var user = state.FindByToken(input);
        var now = sandbox.TimeProvider.GetUtcNow();
        if (user is null || (user.ExpiresAt is { } expiry && now >= expiry))
        {
            return Results.Json(new
            {
                data = new
                {
                    error = new { code = 190, message = user is null ? "Invalid OAuth access token." : "Session has expired." },
                    is_valid = false,
                    scopes = Array.Empty<string>(),
                },
            });
        }

        return Results.Json(new
        {
            data = new
            {
                type = "USER",
                application = "Herald sandbox",
                expires_at = user.ExpiresAt?.ToUnixTimeSeconds() ?? 0,
                is_valid = true,
                scopes = user.Permissions.Order(StringComparer.Ordinal),
                user_id = user.Id,
            },
        });
    }

    private static async Task<(Dictionary<string, string> Parameters, ThreadsUser? User, IResult? Refused)> AuthorizeAsync(
        HttpContext context, ThreadsState state, string userId)
    {
        var parameters = await ParametersAsync(context);
        var (user, error) = state.Authenticate(parameters.GetValueOrDefault("access_token"));
        if (error is not null)
        {
            return (parameters, null, Error(state, error));
        }

        return userId == "me" || userId == user!.Id
            ? (parameters, user, null)
            : (parameters, null, Error(state, UnsupportedRequest(HttpMethods.IsGet(context.Request.Method) ? "get" : "post", userId)));
    }

    private static (IReadOnlyList<string> Fields, string? Unknown) Fields(Dictionary<string, string> parameters, string[] known, string fallback)
    {
        var fields = parameters.GetValueOrDefault("fields") is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [fallback];
        return (fields, fields.FirstOrDefault(f => !known.Contains(f, StringComparer.Ordinal)));
    }

    private static Dictionary<string, object?> MediaJson(ThreadsPost post, IReadOnlyList<string> fields)
    {
        var json = new Dictionary<string, object?>();
        foreach (var field in fields)
        {
            json[field] = field switch
            {
                "id" => post.Id,
                "media_product_type" => "THREADS",
                "media_type" => post.MediaType,
                "alt_text" => post.Images.Count == 1 ? post.Images[0].AltText : null,
                "permalink" => post.Permalink.AbsoluteUri,
                "owner" => new { id = post.UserId },
                "username" => post.Username,
                "text" => post.Text,
                // Graph's timestamp shape: ISO 8601 with a +0000 offset.
                "timestamp" => post.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture),
                "shortcode" => post.Shortcode,
                _ => false,
            };
        }

        json.TryAdd("id", post.Id);
        return json;
    }

    private static bool TryNumber(Dictionary<string, string> parameters, string name, out long? value)
    {
        value = null;
        if (!parameters.TryGetValue(name, out var raw) || raw.Length == 0)
        {
            return true;
        }

        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            return false;
        }

        value = parsed;
        return true;
    }

    private static string EncodeCursor(string mediaId) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(mediaId));

    private static string? Cursor(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(raw));
        }
        catch (FormatException)
        {
            return "";
        }
    }

    private static string NextPageUrl(HttpContext context, string after)
    {
        var request = context.Request;
        var query = request.Query
            .Where(q => q.Key is not ("after" or "before"))
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"after={after}");
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{string.Join('&', query)}";
    }

    private static ThreadsGraphError NonexistingField(string field, string nodeType) =>
        ThreadsState.InvalidParameter($"(#100) Tried accessing nonexisting field ({field}) on node type ({nodeType})");

    private static ThreadsGraphError UnsupportedRequest(string method, string id) =>
        ThreadsState.InvalidParameter(
            $"Unsupported {method} request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
            subcode: 33);

    /// <summary>Graph's error body: <c>{"error":{"message","type","code","error_subcode","error_user_title","error_user_msg","fbtrace_id"}}</c>.</summary>
    private static IResult Error(ThreadsState state, ThreadsGraphError error)
    {
        var body = new Dictionary<string, object?>
        {
            ["message"] = error.Message,
            ["type"] = error.Type,
            ["code"] = error.Code,
        };
        if (error.Subcode is { } subcode)
        {
            body["error_subcode"] = subcode;
        }

        if (error.UserTitle is { } title)
        {
            body["error_user_title"] = title;
        }

        if (error.UserMessage is { } message)
        {
            body["error_user_msg"] = message;
        }

        body["fbtrace_id"] = state.NewTraceId();
        return Results.Json(new { error = body }, statusCode: error.HttpStatus);
    }
}
