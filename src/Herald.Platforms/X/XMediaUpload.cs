using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Herald.Contents;
using Herald.Platforms.Http;
using Herald.Platforms.Media;
using Herald.Publications;

namespace Herald.Platforms.X;

/// <summary>
/// Uploads a content's images to X before the first part is created (docs/platforms.md, X, "Images"): each image
/// fitted to X's limits, sent to <c>POST /2/media/upload</c> (the simple upload, <c>media_category=tweet_image</c>),
/// then its alt text set with <c>POST /2/media/metadata</c>. Every accepted id is stored at once
/// (<see cref="PublishRequest.OnMediaUploaded"/>) and reused by a retry while X still keeps it, so an image is
/// uploaded once per publication; an upload is not a post, so a failed one is simply tried again.
/// </summary>
internal sealed class XMediaUpload(XApi api, TimeProvider timeProvider)
{
    /// <summary>
    /// X's image limits, read conservatively: "5 MB" as 5,000,000 bytes, in JPEG, PNG or WebP (a GIF is re-encoded as
    /// PNG, since an animated one is refused before). X gives no pixel limit for images; a larger image is scaled to
    /// 4,096 pixels a side, the largest named size X serves images at, so a large photo fits the bytes at a higher
    /// quality and its fitting takes less memory.
    /// </summary>
    internal static readonly ImageTarget Target = new(5_000_000, 4096L * 4096, 4096, ["image/jpeg", "image/png", "image/webp"]);

    /// <summary>
    /// How long an earlier upload is reused. X keeps an unattached upload for <c>expires_after_secs</c> (a day in
    /// its examples); an older one is uploaded again rather than risk "Your media IDs are invalid." at the create.
    /// </summary>
    internal static readonly TimeSpan ReuseFor = TimeSpan.FromHours(20);

    /// <summary>The media ids to attach, in the content's order; or the outcome that ends the attempt.</summary>
    public async Task<(IReadOnlyList<string>? Ids, PublishOutcome? Failure)> UploadAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var images = request.Content.Images;
        var now = timeProvider.GetUtcNow();
        var ids = new List<string>(images.Count);
        for (var index = 0; index < images.Count; index++)
        {
            var image = images[index];
            var number = index + 1;
            var id = request.UploadedMedia
                .LastOrDefault(m => m.Part == 0 && m.Image == index && m.Sha256 == image.Sha256 && now - m.UploadedAt < ReuseFor)?.RemoteRef;
            if (id is null)
            {
                var (uploaded, failure) = await UploadOneAsync(request, image, index, cancellationToken);
                if (failure is not null)
                {
                    return (null, failure);
                }

                id = uploaded!;
            }

            // Also for a reused upload: setting the same alt text again changes nothing, and it may not have been set
            // when the earlier attempt stopped between the upload and this call.
            if (!string.IsNullOrEmpty(image.Alt) && await SetAltTextAsync(request, id, image.Alt, number, cancellationToken) is { } altFailure)
            {
                return (null, altFailure);
            }

            ids.Add(id);
        }

        return (ids, null);
    }

    private async Task<(string? Id, PublishOutcome? Failure)> UploadOneAsync(PublishRequest request, ContentImage image, int index, CancellationToken cancellationToken)
    {
        var number = index + 1;
        var (fitted, unreadable) = await StoredImageFitting.FitAsync(request, image, number, Target, cancellationToken);
        if (fitted is null)
        {
            return (null, unreadable);
        }

        HttpContent Form()
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(fitted.Bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue(fitted.MediaType);
            form.Add(file, "media", string.Create(CultureInfo.InvariantCulture, $"image-{number}.{fitted.MediaType["image/".Length..]}"));
            form.Add(new StringContent("tweet_image"), "media_category");
            return form;
        }

        using var call = await api.CallAsync(request.Account, HttpMethod.Post, "2/media/upload", Form, cancellationToken);
        if (Failed(call, request, number, "upload") is { } failure)
        {
            return (null, failure with { FromUpload = true });
        }

        if (PlatformHttp.TryDeserialize<XMediaUploaded>(call.Answer.Body)?.Data?.Id is not { Length: > 0 } id)
        {
            return (null, PublishOutcome.Transient($"X accepted image {number} but named no media id; it is uploaded again on the retry."));
        }

        // Kept before anything else: a retry attaches this id instead of uploading the image again.
        await request.OnMediaUploaded(new UploadedMedia(0, index, image.Sha256!, id, timeProvider.GetUtcNow()), cancellationToken);
        return (id, null);
    }

    private async Task<PublishOutcome?> SetAltTextAsync(PublishRequest request, string id, string alt, int number, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(new XMediaMetadataRequest(id, new XMediaMetadata(new XAltText(alt))), PlatformHttp.Json);
        using var call = await api.CallAsync(request.Account, HttpMethod.Post, "2/media/metadata", XApi.Json(json), cancellationToken);
        return Failed(call, request, number, "alt text");
    }

    /// <summary>The outcome of a failed call; an upload or alt text is not a post, so an unknown answer is a plain retry.</summary>
    private PublishOutcome? Failed(XCall call, PublishRequest request, int number, string what)
    {
        if (call.Problem(request.Account, timeProvider, create: false) is not { } problem)
        {
            return null;
        }

        var error = call.Answer.Status == 403
            ? $"Image {number}: X refused the {what} (HTTP 403){Said(call)}. The app needs Read and Write permission and an OAuth 2.0 token with the media.write scope."
            : $"Image {number} ({what}): {problem.Error}";
        return problem.Kind == PublishOutcomeKind.Unknown
            ? PublishOutcome.Transient(error, problem.HttpStatus)
            : problem with { Error = error };
    }

    private static string Said(XCall call) => XErrors.Describe(call.Answer.Body) is { } said ? $": {said}" : "";
}
