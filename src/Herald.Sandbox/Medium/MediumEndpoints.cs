using System.Text.Json;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.Medium;

/// <summary>The Medium API v1 endpoints Herald uses, per docs/platforms.md, Medium.</summary>
internal static class MediumEndpoints
{
    private const string UserKey = "medium.user";

    public static RouteGroupBuilder MapMedium(this RouteGroupBuilder group)
    {
        var v1 = group.MapGroup("/v1").AddEndpointFilter(async (context, next) =>
        {
            // The token check (docs/platforms.md, Medium, "Errors"): code 6000 is documented; 6003 for a token that is
            // not known is the sandbox's reading of the observed bodies.
            var http = context.HttpContext;
            var header = http.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || header.Length <= "Bearer ".Length)
            {
                return Results.Json(MediumState.Error("An access token is required.", 6000), statusCode: 401);
            }

            var state = http.RequestServices.GetRequiredService<SandboxState>().Medium;
            if (state.FindByToken(header["Bearer ".Length..].Trim()) is not { } user)
            {
                return Results.Json(MediumState.Error("Token was invalid.", 6003), statusCode: 401);
            }

            http.Items[UserKey] = user;
            return await next(context);
        });

        v1.MapGet("/me", (HttpContext c) =>
        {
            var user = (MediumSandboxUser)c.Items[UserKey]!;
            return Results.Json(new
            {
                data = new
                {
                    id = user.Id,
                    username = user.Username,
                    name = user.Name,
                    url = $"https://medium.com/@{user.Username}",
                    imageUrl = $"https://cdn-images-1.medium.com/fit/c/400/400/{user.Id[..12]}.png",
                },
            });
        });
        v1.MapPost("/users/{authorId}/posts", CreateAsync);
        v1.MapPost("/images", UploadAsync).DisableAntiforgery();
        // Where uploads are served, as Medium serves them from its image host; no token needed.
        group.MapGet("/images/{name}", (SandboxState s, string name) => s.Medium.Images.Find(name) is { } image
            ? Results.File(image.Bytes, image.MediaType)
            : Results.Json(MediumState.Error("Image not found.", 6004), statusCode: 404));
        return group;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, SandboxState sandbox, string authorId)
    {
        var user = (MediumSandboxUser)context.Items[UserKey]!;
        if (authorId != user.Id)
        {
            // Code 6004 is in docs/platforms.md, Medium; the statuses, and code 6027 for someone else's id, are the sandbox's choice.
            return sandbox.Medium.UserExists(authorId)
                ? Results.Json(MediumState.Error("You do not have permission to publish under this user.", 6027), statusCode: 403)
                : Results.Json(MediumState.Error("User not found", 6004), statusCode: 404);
        }

        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Results.Json(MediumState.Error("Content-Type must be application/json."), statusCode: 400);
        }

        MediumCreateInput input;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Results.Json(MediumState.Error("The request body must be a JSON object."), statusCode: 400);
            }

            var hasTags = root.TryGetProperty("tags", out var tags);
            var tagsValid = !hasTags || (tags.ValueKind == JsonValueKind.Array && tags.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String));
            input = new MediumCreateInput(
                Title: Text(root, "title"),
                ContentFormat: Text(root, "contentFormat"),
                Content: Text(root, "content"),
                Tags: hasTags && tagsValid ? [.. tags.EnumerateArray().Select(t => t.GetString()!)] : null,
                TagsMistyped: !tagsValid,
                CanonicalUrl: Text(root, "canonicalUrl"),
                PublishStatus: Text(root, "publishStatus"),
                License: Text(root, "license"));
        }
        catch (JsonException)
        {
            return Results.Json(MediumState.Error("The request body is not valid JSON."), statusCode: 400);
        }

        var result = sandbox.Medium.Create(user, input);
        if (result.Post is not { } post)
        {
            return Results.Json(result.Error, statusCode: result.Status);
        }

        var data = new Dictionary<string, object?>
        {
            ["id"] = post.Id,
            ["title"] = post.Title,
            ["authorId"] = post.AuthorId,
            ["tags"] = post.Tags,
            ["url"] = post.Url,
            ["publishStatus"] = post.PublishStatus,
            ["license"] = post.License,
            ["licenseUrl"] = $"https://medium.com/policy/{post.License}",
        };
        if (post.CanonicalUrl is not null)
        {
            data["canonicalUrl"] = post.CanonicalUrl;
        }

        if (post.PublishStatus != "draft")
        {
            data["publishedAt"] = post.CreatedAt.ToUnixTimeMilliseconds();
        }

        return Results.Json(new { data }, statusCode: 201);
    }

    /// <summary>
    /// <c>POST /v1/images</c>: <c>multipart/form-data</c> with exactly one part named <c>image</c> carrying an image
    /// Content-Type; answers 201 <c>{"data":{"url","md5"}}</c> (docs/platforms.md, Medium, "Images").
    /// </summary>
    private static async Task<IResult> UploadAsync(HttpContext context, SandboxState sandbox)
    {
        var user = (MediumSandboxUser)context.Items[UserKey]!;
        if (!context.Request.HasFormContentType || context.Request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Results.Json(MediumState.Error("The request must be multipart/form-data with one part named image."), statusCode: 400);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var files = new List<(string Name, string? ContentType, byte[] Bytes)>();
        foreach (var file in form.Files)
        {
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy, context.RequestAborted);
            files.Add((file.Name, file.ContentType, copy.ToArray()));
        }

        var (image, status, error) = sandbox.Medium.Images.Upload(user, files);
        if (image is null)
        {
            return Results.Json(MediumState.Error(error!, status == 403 ? 6027 : MediumState.ValidationErrorCode), statusCode: status);
        }

        var url = $"{context.Request.Scheme}://{context.Request.Host}/medium/images/{image.FileName}";
        return Results.Json(new { data = new { url, md5 = image.Md5 } }, statusCode: 201);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
