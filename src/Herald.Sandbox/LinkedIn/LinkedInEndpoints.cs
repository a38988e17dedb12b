using System.Globalization;
using System.Text.Json;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.LinkedIn;

/// <summary>The LinkedIn Posts API (<c>/rest/posts</c>), per docs/platforms.md, LinkedIn.</summary>
internal static class LinkedInEndpoints
{
    private const string ProtocolVersion = "2.0.0";

    public static RouteGroupBuilder MapLinkedIn(this RouteGroupBuilder group)
    {
        // OpenID Connect userinfo (no version headers: it is not a /rest resource); sub is the id in urn:li:person:{sub}.
        group.MapGet("/v2/userinfo", (HttpContext c, SandboxState s) =>
            Authenticate(c, s.LinkedIn) is { } member
                ? Results.Json(new { sub = member.AuthorUrn[(member.AuthorUrn.LastIndexOf(':') + 1)..], name = $"Sandbox member {member.AuthorUrn[(member.AuthorUrn.LastIndexOf(':') + 1)..]}", locale = new { country = "US", language = "en" } })
                : Error(401, new { serviceErrorCode = 65600, message = "Invalid access token", status = 401 }));
        var rest = group.MapGroup("/rest").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var state = http.RequestServices.GetRequiredService<SandboxState>().LinkedIn;
            if (Authenticate(http, state) is null)
            {
                return Error(401, new { status = 401, serviceErrorCode = 65600, code = "INVALID_ACCESS_TOKEN", message = "Invalid access token" });
            }

            // Every /rest call needs both version headers (docs/platforms.md, LinkedIn, "Auth / headers").
            var version = http.Request.Headers["LinkedIn-Version"].ToString();
            if (version.Length == 0)
            {
                return Error(400, new { status = 400, code = "VERSION_MISSING", message = "A version must be present. Please specify a version by adding the LinkedIn-Version header." });
            }

            if (!state.IsActiveVersion(version))
            {
                return Error(426, new { status = 426, code = "NONEXISTENT_VERSION", message = $"Requested version {version}01 is not active" });
            }

            if (http.Request.Headers["X-Restli-Protocol-Version"].ToString() != ProtocolVersion)
            {
                return Error(400, new { status = 400, code = "INVALID_PROTOCOL_VERSION", message = "X-Restli-Protocol-Version must be 2.0.0 for this resource." });
            }

            return await next(context);
        });

        rest.MapPost("/posts", CreateAsync);
        rest.MapPost("/images", InitializeUploadAsync);
        rest.MapGet("/images/{urn}", (HttpContext c, SandboxState s, string urn) =>
        {
            var (image, status, error) = s.LinkedIn.Images.Read(Authenticate(c, s.LinkedIn)!, urn);
            if (image is not null && s.Options.LinkedIn.ImageReadsForbidden)
            {
                return Error(403, LinkedInState.AccessDenied("Not enough permissions to access media resource"));
            }

            return image is null ? Error(status, error!) : Results.Json(LinkedInImageState.Json(image, Origin(c)));
        });

        // The upload URL initializeUpload hands out (on LinkedIn another host): one PUT of the whole file, Bearer token.
        group.MapPut("/dms-uploads/{id}", async (HttpContext c, SandboxState s, string id) =>
        {
            using var copy = new MemoryStream();
            await c.Request.Body.CopyToAsync(copy, c.RequestAborted);
            var (status, error) = s.LinkedIn.Images.Put(Authenticate(c, s.LinkedIn), id, copy.ToArray());
            return error is null ? Results.StatusCode(status) : Error(status, error);
        });
        group.MapGet("/media/{id}", (SandboxState s, string id) => s.LinkedIn.Images.FindById(id) is { Bytes.Length: > 0 } image
            ? Results.File(image.Bytes, image.MediaType.Length == 0 ? "application/octet-stream" : image.MediaType)
            : Error(404, new { status = 404, code = "NOT_FOUND", message = "No such image." }));
        rest.MapGet("/posts/{urn}", (HttpContext c, SandboxState s, string urn) =>
            s.LinkedIn.Find(urn) is { } post
                ? Results.Json(PostJson(post))
                : Error(404, new { status = 404, code = "NOT_FOUND", message = $"Post {urn} does not exist" }));
        return group;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, SandboxState sandbox)
    {
        var state = sandbox.LinkedIn;
        var member = Authenticate(context, state)!;
        LinkedInCreateInput input;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Error(400, new { status = 400, code = "INVALID_REQUEST_BODY", message = "The request body must be a JSON object." });
            }

            var images = ContentImages(root, out var multiImage, out var contentError);
            input = new LinkedInCreateInput(
                Author: Text(root, "author"),
                Commentary: Text(root, "commentary"),
                Visibility: Text(root, "visibility"),
                LifecycleState: Text(root, "lifecycleState"),
                HasDistribution: root.TryGetProperty("distribution", out var distribution) && distribution.ValueKind == JsonValueKind.Object)
            {
                Images = images,
                MultiImage = multiImage,
                ContentError = contentError,
            };
        }
        catch (JsonException)
        {
            return Error(400, new { status = 400, code = "INVALID_REQUEST_BODY", message = "The request body is not valid JSON." });
        }

        var result = state.Create(member, input);
        if (result.Post is not { } post)
        {
            return Error(result.Status, result.Error!);
        }

        // 201 with an empty body; the new URN is only in x-restli-id (docs/platforms.md, LinkedIn, "Response").
        context.Response.Headers["x-restli-id"] = post.Urn;
        return Results.StatusCode(201);
    }

    /// <summary><c>POST /rest/images?action=initializeUpload</c> with <c>{"initializeUploadRequest":{"owner":…}}</c>.</summary>
    private static async Task<IResult> InitializeUploadAsync(HttpContext context, SandboxState sandbox)
    {
        if (context.Request.Query["action"].ToString() != "initializeUpload")
        {
            return Error(400, LinkedInState.BadRequest("Unsupported action: the Images API takes action=initializeUpload."));
        }

        string? owner = null;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("initializeUploadRequest", out var request) && request.ValueKind == JsonValueKind.Object)
            {
                owner = Text(request, "owner");
            }
        }
        catch (JsonException)
        {
            return Error(400, LinkedInState.BadRequest("The request body is not valid JSON."));
        }

        var (image, status, error) = sandbox.LinkedIn.Images.Initialize(Authenticate(context, sandbox.LinkedIn)!, owner);
        return image is null
            ? Error(status, error!)
            : Results.Json(new
            {
                value = new
                {
                    uploadUrlExpiresAt = image.UploadUrlExpiresAt.ToUnixTimeMilliseconds(),
                    uploadUrl = $"{Origin(context)}/linkedin/dms-uploads/{image.Id}",
                    image = image.Urn,
                },
            });
    }

    /// <summary>The images of <c>content</c>: <c>media</c> (one) or <c>multiImage.images</c> (2 to 20), each an id and an optional altText.</summary>
    private static List<(string Id, string? AltText)> ContentImages(JsonElement root, out bool multiImage, out string? error)
    {
        multiImage = false;
        error = null;
        if (!root.TryGetProperty("content", out var content))
        {
            return [];
        }

        var hasMedia = content.ValueKind == JsonValueKind.Object && content.TryGetProperty("media", out _);
        var hasMulti = content.ValueKind == JsonValueKind.Object && content.TryGetProperty("multiImage", out _);
        if (content.ValueKind != JsonValueKind.Object || hasMedia == hasMulti)
        {
            error = "/content :: must hold exactly one of media, multiImage (or article, poll …)";
            return [];
        }

        multiImage = hasMulti;
        var items = hasMedia
            ? [content.GetProperty("media")]
            : content.GetProperty("multiImage") is { ValueKind: JsonValueKind.Object } multi && multi.TryGetProperty("images", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().ToList()
                : [];
        if (hasMulti && items.Count is < 2 or > 20)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"/content/multiImage/images :: must hold between 2 and 20 images, not {items.Count}");
            return [];
        }

        var images = new List<(string Id, string? AltText)>();
        foreach (var (item, i) in items.Select((item, i) => (item, i)))
        {
            var path = hasMedia ? "/content/media" : $"/content/multiImage/images/{i}";
            if (item.ValueKind != JsonValueKind.Object || Text(item, "id") is not { } id || !id.StartsWith("urn:li:image:", StringComparison.Ordinal))
            {
                error = $"{path}/id :: field is required and must be an image URN (urn:li:image:…)";
                return [];
            }

            var hasAlt = item.TryGetProperty("altText", out var alt);
            if (hasAlt && (alt.ValueKind != JsonValueKind.String || alt.GetString()!.Length > LinkedInImageState.AltTextLimit))
            {
                error = string.Create(CultureInfo.InvariantCulture, $"{path}/altText :: must be a string of at most {LinkedInImageState.AltTextLimit:N0} characters");
                return [];
            }

            images.Add((id, hasAlt ? alt.GetString() : null));
        }

        return images;
    }

    private static string Origin(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    private static LinkedInMember? Authenticate(HttpContext context, LinkedInState state)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? state.FindMember(header["Bearer ".Length..].Trim()) : null;
    }

    private static object PostJson(LinkedInPost post) => new
    {
        id = post.Urn,
        author = post.Author,
        commentary = post.Commentary,
        visibility = post.Visibility,
        lifecycleState = post.LifecycleState,
        distribution = new { feedDistribution = "MAIN_FEED", targetEntities = Array.Empty<object>(), thirdPartyDistributionChannels = Array.Empty<object>() },
        createdAt = post.CreatedAt.ToUnixTimeMilliseconds(),
        publishedAt = post.CreatedAt.ToUnixTimeMilliseconds(),
        content = post.Images.Count == 0 ? null
            : post.MultiImage ? (object)new { multiImage = new { images = post.Images.Select(i => new { id = i.Image.Urn, altText = i.AltText }) } }
            : new { media = new { id = post.Images[0].Image.Urn, altText = post.Images[0].AltText } },
    };

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IResult Error(int status, object body) => Results.Json(body, statusCode: status);
}
