using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.DevTo;

/// <summary>The Dev.to (Forem API v1) endpoints, per docs/platforms.md, Dev.to, plus a public article page.</summary>
internal static class DevToEndpoints
{
    private const string V1MediaType = "application/vnd.forem.api-v1+json";
    private const string V0Warning =
        "299 - This endpoint is part of the V0 (beta) API. To start using the V1 endpoints add the `Accept` header " +
        "and set it to `application/vnd.forem.api-v1+json`. Visit https://developers.forem.com/api for more information.";

    private const int DefaultPerPage = 30;
    private const int MaxPerPage = 1000;

    public static RouteGroupBuilder MapDevTo(this RouteGroupBuilder group)
    {
        var api = group.MapGroup("/api").AddEndpointFilter(async (context, next) =>
        {
            // Forem routes to v1 only when Accept contains the v1 media type; otherwise the deprecated v0
            // controllers answer, with a Warning header (docs/platforms.md, Dev.to, "Auth / headers").
            var accept = context.HttpContext.Request.Headers.Accept.ToString();
            if (!accept.Contains(V1MediaType, StringComparison.OrdinalIgnoreCase))
            {
                context.HttpContext.Response.Headers.Warning = V0Warning;
            }

            return await next(context);
        });

        api.MapPost("/articles", CreateAsync);
        api.MapGet("/articles/me", (HttpContext c, SandboxState s) => ListMine(c, s.DevTo, DevToListFilter.Published));
        api.MapGet("/articles/me/published", (HttpContext c, SandboxState s) => ListMine(c, s.DevTo, DevToListFilter.Published));
        api.MapGet("/articles/me/unpublished", (HttpContext c, SandboxState s) => ListMine(c, s.DevTo, DevToListFilter.Unpublished));
        api.MapGet("/articles/me/all", (HttpContext c, SandboxState s) => ListMine(c, s.DevTo, DevToListFilter.All));
        api.MapGet("/articles/{id:int}", (HttpContext c, SandboxState s, int id) =>
            s.DevTo.FindPublished(id) is { } article ? Results.Json(Show(c, s.DevTo, article)) : NotFound());
        api.MapGet("/articles/{username}/{slug}", (HttpContext c, SandboxState s, string username, string slug) =>
            s.DevTo.FindBySlug(username, slug) is { Published: true } article ? Results.Json(Show(c, s.DevTo, article)) : NotFound());
        api.MapGet("/users/me", (HttpContext c, SandboxState s) =>
            Authenticate(c, s.DevTo) is { } user ? Results.Json(UserJson(user, s.DevTo)) : Unauthorized());

        // The public page, so the URL Herald prints opens in a browser.
        group.MapGet("/{username}/{slug}", (SandboxState s, string username, string slug) =>
            s.DevTo.FindBySlug(username, slug) is { } article
                ? Results.Content(Page(article), "text/html; charset=utf-8")
                : Results.Content("<!doctype html><title>Not found</title><h1>404: article not found</h1>", "text/html; charset=utf-8", statusCode: 404));
        return group;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, SandboxState sandbox)
    {
        var state = sandbox.DevTo;
        if (Authenticate(context, state) is not { } user)
        {
            return Unauthorized();
        }

        JsonElement article;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("article", out var found) || found.ValueKind != JsonValueKind.Object)
            {
                return Error(422, "article param must be a JSON object. You provided article as " + KindOf(document.RootElement));
            }

            article = found.Clone();
        }
        catch (JsonException)
        {
            return Error(400, "Error occurred while parsing request parameters");
        }

        var input = new DevToCreateInput(
            Title: Text(article, "title"),
            BodyMarkdown: Text(article, "body_markdown"),
            Published: article.TryGetProperty("published", out var published) && IsTrue(published),
            // Only an array is permitted; a comma string is dropped as an unpermitted parameter (docs/platforms.md, Dev.to).
            Tags: article.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
                ? [.. tags.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.String ? t.GetString() ?? "" : t.GetRawText())]
                : [],
            Description: Text(article, "description"),
            CanonicalUrl: Text(article, "canonical_url"),
            MainImage: Text(article, "main_image"),
            Series: Text(article, "series"));

        var result = state.Create(user, input);
        if (result.Article is not { } created)
        {
            if (result.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            return Error(result.Status, result.Error ?? "unprocessable entity");
        }

        // 201 with Location = the article URL (docs/platforms.md, Dev.to, "Endpoints").
        context.Response.Headers.Location = PublicUrl(context, created);
        return Results.Json(Show(context, state, created), statusCode: 201);
    }

    private static IResult ListMine(HttpContext context, DevToState state, DevToListFilter filter)
    {
        if (Authenticate(context, state) is not { } user)
        {
            return Unauthorized();
        }

        var query = context.Request.Query;
        var page = int.TryParse(query["page"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var perPage = int.TryParse(query["per_page"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pp) && pp > 0
            ? Math.Min(pp, MaxPerPage)
            : DefaultPerPage;
        var articles = state.ArticlesOf(user, filter, page, perPage);
        return Results.Json(articles.Select(a => MeItem(context, state, a)).ToList());
    }

    private static DevToUser? Authenticate(HttpContext context, DevToState state) =>
        state.FindUser(context.Request.Headers["api-key"].ToString());

    /// <summary>The show representation; note <c>tag_list</c> is a string and <c>tags</c> an array here (forem#4206).</summary>
    private static object Show(HttpContext context, DevToState state, DevToArticle article) => new
    {
        type_of = "article",
        id = article.Id,
        title = article.Title,
        description = article.Description ?? "",
        readable_publish_date = ReadableDate(article.PublishedAt),
        slug = article.Slug,
        path = article.Path,
        url = PublicUrl(context, article),
        comments_count = 0,
        public_reactions_count = 0,
        positive_reactions_count = 0,
        collection_id = (int?)null,
        published_timestamp = Timestamp(article.PublishedAt),
        language = "en",
        subforem_id = (int?)null,
        cover_image = article.MainImage,
        social_image = article.MainImage,
        canonical_url = ProcessedCanonicalUrl(context, article),
        created_at = Timestamp(article.CreatedAt),
        edited_at = (string?)null,
        crossposted_at = (string?)null,
        published_at = Timestamp(article.PublishedAt),
        last_comment_at = Timestamp(article.PublishedAt ?? article.CreatedAt),
        reading_time_minutes = ReadingMinutes(article.BodyMarkdown),
        tag_list = string.Join(", ", article.Tags),
        tags = article.Tags,
        body_html = BodyHtml(article.BodyMarkdown),
        body_markdown = article.BodyMarkdown,
        user = UserSummary(state, article),
    };

    /// <summary>An item of <c>/api/articles/me*</c>; here <c>tag_list</c> is an array.</summary>
    private static object MeItem(HttpContext context, DevToState state, DevToArticle article) => new
    {
        type_of = "article",
        id = article.Id,
        title = article.Title,
        description = article.Description ?? "",
        published = article.Published,
        published_at = Timestamp(article.PublishedAt),
        slug = article.Slug,
        path = article.Path,
        url = PublicUrl(context, article),
        comments_count = 0,
        public_reactions_count = 0,
        page_views_count = 0,
        published_timestamp = Timestamp(article.PublishedAt),
        body_markdown = article.BodyMarkdown,
        positive_reactions_count = 0,
        cover_image = article.MainImage,
        tag_list = article.Tags,
        canonical_url = ProcessedCanonicalUrl(context, article),
        reading_time_minutes = ReadingMinutes(article.BodyMarkdown),
        user = UserSummary(state, article),
    };

    private static object UserSummary(DevToState state, DevToArticle article)
    {
        var user = state.UserById(article.UserId);
        return new
        {
            name = user?.Name ?? article.Username,
            username = article.Username,
            twitter_username = (string?)null,
            github_username = (string?)null,
            user_id = article.UserId,
            website_url = (string?)null,
            profile_image = "https://sandbox.invalid/avatar.png",
            profile_image_90 = "https://sandbox.invalid/avatar-90.png",
        };
    }

    private static object UserJson(DevToUser user, DevToState state) => new
    {
        type_of = "user",
        id = user.Id,
        username = user.Username,
        name = user.Name,
        summary = (string?)null,
        twitter_username = (string?)null,
        github_username = (string?)null,
        website_url = (string?)null,
        location = (string?)null,
        joined_at = ReadableDate(state.Sandbox.TimeProvider.GetUtcNow()),
        profile_image = "https://sandbox.invalid/avatar.png",
    };

    /// <summary>The absolute public URL, built from the host the request came to.</summary>
    private static string PublicUrl(HttpContext context, DevToArticle article) =>
        $"{context.Request.Scheme}://{context.Request.Host}/devto{article.Path}";

    /// <summary>Forem shows the article's own URL as <c>canonical_url</c> when none was set.</summary>
    private static string ProcessedCanonicalUrl(HttpContext context, DevToArticle article) =>
        article.CanonicalUrl ?? PublicUrl(context, article);

    private static string? Timestamp(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? ReadableDate(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("MMM d", CultureInfo.InvariantCulture);

    private static int ReadingMinutes(string body) =>
        Math.Max(1, (int)Math.Ceiling(body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length / 275.0));

    /// <summary>Not a Markdown renderer: each paragraph HTML-encoded, enough for a client that displays it.</summary>
    private static string BodyHtml(string markdown) =>
        string.Concat(markdown.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => DevToMarkdownImages.Alone(p) is var (alt, url)
                ? $"<figure><img src=\"{WebUtility.HtmlEncode(url)}\" alt=\"{WebUtility.HtmlEncode(alt)}\"></figure>\n"
                : $"<p>{WebUtility.HtmlEncode(p)}</p>\n"));

    private static string Page(DevToArticle article)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(article.Title))
            .Append(" - Dev.to sandbox</title></head>\n<body><article>\n");
        if (!article.Published)
        {
            html.Append("<p><strong>Draft</strong>: not published.</p>\n");
        }

        if (article.MainImage is { Length: > 0 } cover)
        {
            html.Append("<img class=\"cover\" src=\"").Append(WebUtility.HtmlEncode(cover)).Append("\" alt=\"\">\n");
        }

        html.Append("<h1>").Append(WebUtility.HtmlEncode(article.Title)).Append("</h1>\n")
            .Append("<p>by ").Append(WebUtility.HtmlEncode(article.Username)).Append("</p>\n")
            .Append(BodyHtml(article.BodyMarkdown))
            .Append("</article></body></html>\n");
        return html.ToString();
    }

    private static string? Text(JsonElement article, string name) =>
        !article.TryGetProperty(name, out var value) ? null : value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.Object or JsonValueKind.Array => null,
            _ => value.GetRawText(),
        };

    /// <summary>Rails casts "true", "1" and true to true.</summary>
    private static bool IsTrue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.String => value.GetString() is "true" or "1" or "t",
        JsonValueKind.Number => value.TryGetInt32(out var n) && n == 1,
        _ => false,
    };

    private static string KindOf(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("article", out var article)
            ? article.ValueKind.ToString()
            : "nothing";

    private static IResult Unauthorized() => Error(401, "unauthorized");

    private static IResult NotFound() => Error(404, "not found");

    private static IResult Error(int status, string error) => Results.Json(new { error, status }, statusCode: status);
}
