using Herald.Media;
using Herald.Platforms.Media;

namespace Herald.Server.Media;

/// <summary>
/// <c>GET /media/{sha256}?fit=threads</c> (or <c>devto</c>): a stored image, re-encoded for a platform that downloads
/// images itself (docs/api.md, "Public media"). No key: Threads and Dev.to fetch it, and a SHA-256 is
/// known only to whoever has the image or its link. Immutable: the name is the content's hash (a fitted variant's
/// bytes are the same for the same stored bytes), so it is cached for a year and revalidated by its ETag.
/// </summary>
internal static class PublicMediaEndpoint
{
    public const string Path = "/media";

    private const string CacheControl = "public, max-age=31536000, immutable";

    public static void MapPublicMedia(this IEndpointRouteBuilder app) =>
        app.MapMethods(Path + "/{sha256}", [HttpMethods.Get, HttpMethods.Head], ServeAsync).AllowAnonymous().ExcludeFromDescription();

    private static async Task ServeAsync(HttpContext context, string sha256, IMediaStore store)
    {
        var response = context.Response;
        if (!PublicMedia.IsSha256(sha256))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        // Only re-encoded variants: the bytes as scheduled may carry metadata (GPS EXIF) that must not leave Herald.
        var fit = context.Request.Query["fit"].ToString();
        if (!PublicMedia.IsFit(fit))
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            await response.WriteAsync(
                fit.Length == 0 ? "fit is required: threads or devto (images are served only re-encoded, without their metadata)." : $"fit must be threads or devto, not '{fit}'.",
                context.RequestAborted);
            return;
        }

        var file = await PublicMedia.OpenAsync(store.OpenReadAsync, sha256, fit, context.RequestAborted);
        if (file is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await using var body = file.Content;
        response.Headers.ETag = file.ETag;
        response.Headers.CacheControl = CacheControl;
        response.Headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(tag => tag.Trim() == file.ETag || tag.Trim() == "*")))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = file.MediaType;
        response.ContentLength = file.Length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        await body.CopyToAsync(response.Body, context.RequestAborted);
    }
}
