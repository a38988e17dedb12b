using System.Globalization;
using System.Net;
using System.Text.Json;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.Mastodon;

/// <summary>A Mastodon instance's API (<c>/api/v1/statuses</c>, <c>/api/v2/instance</c>), per docs/platforms.md, Mastodon.</summary>
internal static class MastodonEndpoints
{
    private const string AccountKey = "mastodon.account";
    private const string WindowKey = "mastodon.window";

    public static RouteGroupBuilder MapMastodon(this RouteGroupBuilder group)
    {
        group.MapGet("/api/v2/instance", (HttpContext c, SandboxState s) => Results.Json(InstanceJson(c, s.Mastodon)));
        // A status's public page (its `url`): the sandbox's page of that post, so the URL Herald prints opens.
        group.MapGet("/@{username}/{id}", (string id) => Results.Redirect(SandboxLinks.Post(new Uri("http://sandbox/"), "mastodon", id).PathAndQuery));

        // The stored bytes of an upload, as the instance serves them (its `url`).
        group.MapGet("/system/media/{id}", (SandboxState s, string id) =>
            s.Mastodon.Media.Find(id) is { } media ? Results.File(media.Bytes, media.MediaType) : Error(404, "Record not found"));

        var api = group.MapGroup("/api/v1").AddEndpointFilter(AuthorizeAsync);
        group.MapGroup("/api/v2").AddEndpointFilter(AuthorizeAsync).MapPost("/media", UploadAsync).DisableAntiforgery().Needs("write:media");
        api.MapGet("/media/{id}", (HttpContext c, SandboxState s, string id) => s.Mastodon.Media.Read(AccountOf(c), id) switch
        {
            ({ } media, var status) => Results.Json(MediaJson(c, media), statusCode: status),
            _ => Error(404, "Record not found"),
        }).Needs("write:media");
        api.MapPost("/statuses", CreateAsync).Needs("write:statuses");
        api.MapGet("/statuses/{id}", (HttpContext c, SandboxState s, string id) =>
            s.Mastodon.Find(id) is { } status ? Results.Json(StatusJson(c, status)) : Error(404, "Record not found")).Needs("read:statuses");
        api.MapGet("/accounts/verify_credentials", (HttpContext c) => Results.Json(AccountJson(c, AccountOf(c)))).Needs("read:accounts", "profile");
        api.MapGet("/accounts/{id}/statuses", (HttpContext c, SandboxState s, string id) => AccountStatuses(c, s.Mastodon, id)).Needs("read:statuses");

        // The token's application; `scopes` since Mastodon 4.3 (left out before, as older instances do). Any token may ask.
        api.MapGet("/apps/verify_credentials", (HttpContext c, SandboxState s) =>
        {
            var app = new Dictionary<string, object?>
            {
                ["name"] = "Herald",
                ["website"] = null,
                ["redirect_uris"] = new[] { "urn:ietf:wg:oauth:2.0:oob" },
                ["redirect_uri"] = "urn:ietf:wg:oauth:2.0:oob",
            };
            if (s.Options.Mastodon.Version >= new Version(4, 3))
            {
                app["scopes"] = AccountOf(c).Scopes;
            }

            return Results.Json(app);
        });
        return group;
    }

    /// <summary>
    /// Refuses the call with 403, as Mastodon does, unless the token has one of <paramref name="scopes"/> (or its
    /// parent, <c>write</c> for <c>write:media</c>). Runs after <see cref="AuthorizeAsync"/> has found the account.
    /// </summary>
    private static RouteHandlerBuilder Needs(this RouteHandlerBuilder endpoint, params string[] scopes) =>
        endpoint.AddEndpointFilter(async (context, next) =>
            AccountOf(context.HttpContext).Allows(scopes) ? await next(context) : Error(403, "This action is outside the authorized scopes"));

    private static async ValueTask<object?> AuthorizeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var state = http.RequestServices.GetRequiredService<SandboxState>().Mastodon;
        var header = http.Request.Headers.Authorization.ToString();
        var account = header.StartsWith("Bearer ", StringComparison.Ordinal) ? state.FindAccount(header["Bearer ".Length..].Trim()) : null;
        if (account is null)
        {
            return Error(401, "The access token is invalid");
        }

        if (account.Disabled)
        {
            return Error(403, "Your login is currently disabled");
        }

        var window = state.HitRequests(account);
        http.Items[AccountKey] = account;
        http.Items[WindowKey] = window;
        if (window.Exceeded)
        {
            WriteRateLimitHeaders(http, window);
            return Error(429, "Too many requests");
        }

        var result = await next(context);
        WriteRateLimitHeaders(http, (MastodonRateWindow)http.Items[WindowKey]!);
        return result;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, SandboxState sandbox)
    {
        var account = AccountOf(context);
        MastodonCreateInput input;
        if (context.Request.HasFormContentType)
        {
            // Form data and query strings are accepted as well as JSON (docs/platforms.md, Mastodon, "Auth / headers").
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            input = new MastodonCreateInput(form["status"], form["in_reply_to_id"], form["visibility"], form["spoiler_text"], form["language"])
            {
                MediaIds = [.. form["media_ids[]"].Concat(form["media_ids"]).OfType<string>()],
            };
        }
        else
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return Error(400, "The request body must be a JSON object");
                }

                input = new MastodonCreateInput(
                    Text(root, "status"), Text(root, "in_reply_to_id"), Text(root, "visibility"), Text(root, "spoiler_text"), Text(root, "language"))
                {
                    MediaIds = root.TryGetProperty("media_ids", out var ids) && ids.ValueKind == JsonValueKind.Array
                        ? [.. ids.EnumerateArray().Select(id => id.ToString())]
                        : [],
                };
            }
            catch (JsonException)
            {
                return Error(400, "Error occurred while parsing request parameters");
            }
        }

        var key = context.Request.Headers["Idempotency-Key"].ToString();
        var result = sandbox.Mastodon.Create(account, input, key.Length == 0 ? null : key);
        if (result.Window is { } statuses)
        {
            // The headers show whichever limit is closest to exhaustion (docs/platforms.md, Mastodon, "Rate limits").
            var general = (MastodonRateWindow)context.Items[WindowKey]!;
            context.Items[WindowKey] = statuses.Remaining < general.Remaining ? statuses : general;
        }

        return result.Status is { } status ? Results.Json(StatusJson(context, status)) : Error(result.HttpStatus, result.Error!);
    }

    /// <summary>
    /// <c>GET /api/v1/accounts/:id/statuses</c>: newest first, <c>limit</c> (default 20, at most 40) and <c>max_id</c>
    /// (only statuses older than that id), with a <c>Link</c> header to the next page, as Mastodon pages.
    /// </summary>
    private static IResult AccountStatuses(HttpContext context, MastodonState state, string accountId)
    {
        var query = context.Request.Query;
        var limit = int.TryParse(query["limit"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var asked) && asked > 0 ? Math.Min(asked, 40) : 20;
        var statuses = state.StatusesOf(accountId).AsEnumerable();
        if (query["max_id"].ToString() is { Length: > 0 } maxId && long.TryParse(maxId, NumberStyles.None, CultureInfo.InvariantCulture, out var below))
        {
            statuses = statuses.Where(s => long.Parse(s.Id, CultureInfo.InvariantCulture) < below);
        }

        var page = statuses.Take(limit).ToList();
        if (page.Count == limit)
        {
            context.Response.Headers.Link =
                $"<{Origin(context)}/api/v1/accounts/{accountId}/statuses?limit={limit}&max_id={page[^1].Id}>; rel=\"next\"";
        }

        return Results.Json(page.Select(status => StatusJson(context, status)));
    }

    private static void WriteRateLimitHeaders(HttpContext context, MastodonRateWindow window)
    {
        var headers = context.Response.Headers;
        headers["X-RateLimit-Limit"] = window.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = Math.Max(0, window.Remaining).ToString(CultureInfo.InvariantCulture);

        // An ISO 8601 timestamp, not epoch seconds (docs/platforms.md, Mastodon).
        headers["X-RateLimit-Reset"] = window.Reset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
    }

    // "4.2" and "4.2.10" alike as major.minor.patch, as Mastodon reports its version.
    private static string Version3(Version version) =>
        string.Create(CultureInfo.InvariantCulture, $"{version.Major}.{version.Minor}.{Math.Max(version.Build, 0)}");

    private static MastodonAccount AccountOf(HttpContext context) => (MastodonAccount)context.Items[AccountKey]!;

    private static string Origin(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}/mastodon";

    private static object InstanceJson(HttpContext context, MastodonState state) => new
    {
        domain = context.Request.Host.Host,
        title = "Herald sandbox",
        version = Version3(state.Sandbox.Options.Mastodon.Version),
        source_url = "https://github.com/mastodon/mastodon",
        description = "A simulated Mastodon instance for Herald's tests.",
        configuration = new
        {
            urls = new { streaming = $"ws://{context.Request.Host}" },
            statuses = new
            {
                max_characters = state.MaxCharacters,
                max_media_attachments = 4,
                characters_reserved_per_url = state.CharactersReservedPerUrl,
            },
        },
        registrations = new { enabled = false, approval_required = false },
    };

    private static object AccountJson(HttpContext context, MastodonAccount account) => new
    {
        id = account.Id,
        username = account.Username,
        acct = account.Username,
        display_name = account.Username,
        url = $"{Origin(context)}/@{account.Username}",
    };

    private static object StatusJson(HttpContext context, MastodonStatus status) => new
    {
        id = status.Id,
        created_at = status.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        in_reply_to_id = status.InReplyToId,
        in_reply_to_account_id = status.InReplyToId is null ? null : status.Account.Id,
        sensitive = status.SpoilerText.Length > 0,
        spoiler_text = status.SpoilerText,
        visibility = status.Visibility,
        language = status.Language,
        uri = $"{Origin(context)}/users/{status.Account.Username}/statuses/{status.Id}",
        url = $"{Origin(context)}/@{status.Account.Username}/{status.Id}",
        replies_count = 0,
        reblogs_count = 0,
        favourites_count = 0,
        edited_at = (string?)null,
        content = string.Concat(status.Text.Split("\n\n").Select(p => $"<p>{WebUtility.HtmlEncode(p).Replace("\n", "<br />", StringComparison.Ordinal)}</p>")),
        account = AccountJson(context, status.Account),
        media_attachments = status.Media.Select(media => MediaJson(context, media)),
        mentions = Array.Empty<object>(),
        tags = Array.Empty<object>(),
    };

    /// <summary>
    /// <c>POST /api/v2/media</c>: multipart <c>file</c> and <c>description</c>; the type is sniffed from the bytes. 200
    /// when processed at once (images), 202 while processing (<see cref="MastodonSandboxOptions.MediaProcessingPolls"/>).
    /// </summary>
    private static async Task<IResult> UploadAsync(HttpContext context, SandboxState sandbox)
    {
        var account = AccountOf(context);
        var window = sandbox.Mastodon.HitMedia(account);
        if (window.Exceeded)
        {
            context.Items[WindowKey] = window;
            return Error(429, "Too many requests");
        }

        if (!context.Request.HasFormContentType)
        {
            return Error(422, "Validation failed: File can't be blank");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        byte[]? bytes = null;
        if (form.Files.GetFile("file") is { } file)
        {
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy, context.RequestAborted);
            bytes = copy.ToArray();
        }

        var (media, status, error) = sandbox.Mastodon.Media.Upload(account, bytes, form["description"].ToString());
        return media is null ? Error(status, error!) : Results.Json(MediaJson(context, media), statusCode: status);
    }

    /// <summary>A MediaAttachment; <c>url</c> is null while it is processing.</summary>
    private static object MediaJson(HttpContext context, MastodonMedia media) => new
    {
        id = media.Id,
        type = "image",
        url = media.PollsLeft > 0 ? null : $"{Origin(context)}/system/media/{media.Id}",
        preview_url = $"{Origin(context)}/system/media/{media.Id}",
        description = media.Description.Length == 0 ? null : media.Description,
        meta = new { original = new { width = media.Width, height = media.Height } },
    };

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IResult Error(int status, string error) => Results.Json(new { error }, statusCode: status);
}
