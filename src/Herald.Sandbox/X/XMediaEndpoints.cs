using System.Text.Json;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.X;

/// <summary>
/// X's image endpoints (docs/platforms.md, X, "Images"): the simple upload <c>POST /2/media/upload</c> and the alt
/// text call <c>POST /2/media/metadata</c>, each signed like any v2 call and counted against its own 15-minute window.
/// </summary>
internal static class XMediaEndpoints
{
    private const string MediaWriteScope = "media.write";

    public static RouteGroupBuilder MapXMedia(this RouteGroupBuilder v2)
    {
        v2.MapPost("/media/upload", UploadAsync).DisableAntiforgery();
        v2.MapPost("/media/metadata", MetadataAsync);
        return v2;
    }

    /// <summary>
    /// <c>POST /2/media/upload</c>, <c>multipart/form-data</c> with the bytes in <c>media</c> and a <c>media_category</c>.
    /// The form's fields are not OAuth 1.0a parameters (only a urlencoded body is), so the signature covers the URL alone.
    /// </summary>
    private static async Task<IResult> UploadAsync(HttpContext context, SandboxState sandbox)
    {
        var state = sandbox.X;
        var (user, refusal) = Admit(context, state, "POST /2/media/upload", sandbox.Options.X.MediaUploadsPerWindow);
        if (user is null)
        {
            return refusal!;
        }

        if (!context.Request.HasFormContentType)
        {
            return Problem("The request must be multipart/form-data with the `media` and `media_category` fields.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        byte[]? bytes = null;
        if (form.Files.GetFile("media") is { } file)
        {
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy, context.RequestAborted);
            bytes = copy.ToArray();
        }

        var (media, error) = state.Media.Upload(user, bytes, form["media_category"].ToString());
        return media is null ? Problem(error!) : Results.Json(new { data = state.Media.Json(media) });
    }

    /// <summary><c>POST /2/media/metadata</c>, JSON <c>{"id":…,"metadata":{"alt_text":{"text":…}}}</c> on the caller's own upload.</summary>
    private static async Task<IResult> MetadataAsync(HttpContext context, SandboxState sandbox)
    {
        var state = sandbox.X;
        var (user, refusal) = Admit(context, state, "POST /2/media/metadata", sandbox.Options.X.MediaMetadataPerWindow);
        if (user is null)
        {
            return refusal!;
        }

        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Problem("Requests with bodies must have content-type of application/json.");
        }

        string? id;
        string? text = null;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var root = document.RootElement;
            id = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object &&
                metadata.TryGetProperty("alt_text", out var alt) && alt.ValueKind == JsonValueKind.Object &&
                alt.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            {
                text = t.GetString();
            }
        }
        catch (JsonException)
        {
            return Problem("Request body is not valid JSON.");
        }

        if (id is null)
        {
            return Problem("$.id is required.");
        }

        var (media, error) = state.Media.SetAltText(user, id, text);
        return media is null
            ? Problem(error!)
            : Results.Json(new { data = new { id = media.Id, associated_metadata = new { alt_text = new { text = media.AltText } } } });
    }

    /// <summary>The signed-in caller, counted against the endpoint's window; or the 401/403/429 to answer.</summary>
    private static (XSandboxUser? User, IResult? Refusal) Admit(HttpContext context, XState state, string endpoint, int limit)
    {
        var caller = state.Authenticate(context.Request, formBody: null);
        if (!caller.Authenticated)
        {
            return (null, XEndpoints.Refused(caller));
        }

        // An OAuth 2.0 token needs the media.write scope for uploads and their alt text; X answers a bare 403.
        if (!caller.Has(MediaWriteScope))
        {
            return (null, Results.Json(XState.Problem(403, "Forbidden", "Forbidden"), statusCode: 403));
        }

        return XEndpoints.Limited(context, state.Count(caller.User!, endpoint, limit)) is { } tooMany ? (null, tooMany) : (caller.User, null);
    }

    private static IResult Problem(string detail) => Results.Json(
        new { title = "Invalid Request", type = "https://api.x.com/2/problems/invalid-request", detail, status = 400 }, statusCode: 400);
}
