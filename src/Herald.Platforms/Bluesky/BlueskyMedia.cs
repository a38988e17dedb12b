using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Herald.Contents;
using Herald.Platforms.Http;
using Herald.Platforms.Media;
using Herald.Publications;

namespace Herald.Platforms.Bluesky;

/// <summary>
/// Uploads a content's images to the account's PDS before the first post (docs/platforms.md, Bluesky, "Images"): each
/// fitted to Herald's conservative limits, sent raw to <c>com.atproto.repo.uploadBlob</c>, and embedded as
/// <c>app.bsky.embed.images</c> with its alt text and <c>aspectRatio</c>. An accepted blob is stored at once and reused
/// by a retry within <see cref="ReuseWindow"/>; after that the PDS may have deleted it (unreferenced blobs go after
/// minutes), so it is uploaded again — the same bytes give the same CID, so nothing is duplicated.
/// </summary>
internal sealed class BlueskyMedia(BlueskySessions sessions, TimeProvider timeProvider)
{
    private const string DisplayName = "Bluesky";

    /// <summary>How long an uploaded, unreferenced blob is trusted to be kept by the PDS.</summary>
    internal static readonly TimeSpan ReuseWindow = TimeSpan.FromMinutes(2);

    /// <summary>
    /// 1,000,000 bytes (the documented limit; the lexicon now allows 2,000,000, but a PDS or app on an older version
    /// may not), at most 4,000 pixels a side (the official app's limit), in JPEG, PNG or WebP.
    /// </summary>
    internal static readonly ImageTarget Target = new(1_000_000, 4000L * 4000, 4000, ["image/jpeg", "image/png", "image/webp"]);

    /// <summary>The embed to put on the first post; or the outcome that ends the attempt.</summary>
    public async Task<(BlueskyImagesEmbed? Embed, PublishOutcome? Failure)> UploadAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var images = request.Content.Images;
        var embedded = new List<BlueskyEmbedImage>(images.Count);
        for (var index = 0; index < images.Count; index++)
        {
            var image = images[index];
            var now = timeProvider.GetUtcNow();
            var earlier = request.UploadedMedia.FirstOrDefault(m =>
                m.Part == 0 && m.Image == index && m.Sha256 == image.Sha256 && now - m.UploadedAt < ReuseWindow);
            var uploaded = earlier is null ? null : JsonSerializer.Deserialize<UploadedBlob>(earlier.RemoteRef, PlatformHttp.Json);
            if (uploaded is null)
            {
                var (fresh, failure) = await UploadOneAsync(request, image, index, cancellationToken);
                if (failure is not null)
                {
                    return (null, failure);
                }

                uploaded = fresh!;
            }

            embedded.Add(new BlueskyEmbedImage(image.Alt ?? "", uploaded.Blob, new BlueskyAspectRatio(uploaded.Width, uploaded.Height)));
        }

        return (new BlueskyImagesEmbed { Images = embedded }, null);
    }

    private async Task<(UploadedBlob? Blob, PublishOutcome? Failure)> UploadOneAsync(
        PublishRequest request, ContentImage image, int index, CancellationToken cancellationToken)
    {
        var number = index + 1;
        var (fitted, unreadable) = await StoredImageFitting.FitAsync(request, image, number, Target, cancellationToken);
        if (fitted is null)
        {
            return (null, unreadable);
        }

        using var call = await sessions.SendAsync(request.Account, session => Upload(session, fitted), cancellationToken);
        if (call.Answer is not { } answer)
        {
            return (null, call.Failure);
        }

        if (answer.Failure is { } transport)
        {
            // An upload is not a post: whatever happened, uploading again is safe.
            return (null, PublishOutcome.Transient($"Image {number}: {transport.Error}"));
        }

        if (!answer.IsSuccess)
        {
            var outcome = BlueskyErrors.Classify(answer.Response.StatusCode, answer.Body, sessions.RetryAfter(answer));
            var error = $"Image {number}: {outcome.Error}";
            return (null, outcome.Kind == PublishOutcomeKind.Unknown ? PublishOutcome.Transient(error, outcome.HttpStatus) : outcome with { Error = error });
        }

        using var document = JsonDocument.Parse(answer.Body);
        if (!document.RootElement.TryGetProperty("blob", out var blob) || blob.ValueKind != JsonValueKind.Object)
        {
            return (null, PublishOutcome.Transient($"Bluesky accepted image {number} but named no blob; it is uploaded again on the retry."));
        }

        var uploaded = new UploadedBlob(blob.Clone(), fitted.Width, fitted.Height);
        await request.OnMediaUploaded(
            new UploadedMedia(0, index, image.Sha256!, JsonSerializer.Serialize(uploaded, PlatformHttp.Json), timeProvider.GetUtcNow()), cancellationToken);
        return (uploaded, null);
    }

    private static HttpRequestMessage Upload(BlueskySession session, FittedImage fitted)
    {
        var content = new ByteArrayContent(fitted.Bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(fitted.MediaType);
        var message = new HttpRequestMessage(HttpMethod.Post, BlueskySessions.Xrpc(session.Pds, "com.atproto.repo.uploadBlob")) { Content = content };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessJwt);
        message.Headers.UserAgent.Add(new ProductInfoHeaderValue("Herald", "1.0"));
        return message;
    }

    /// <summary>What is kept of an upload: the blob exactly as the PDS answered it, and the fitted image's size.</summary>
    private sealed record UploadedBlob(
        [property: JsonPropertyName("blob")] JsonElement Blob,
        [property: JsonPropertyName("width")] int Width,
        [property: JsonPropertyName("height")] int Height);

    /// <summary>For <see cref="BlueskyAdapter.Render"/>: what each image's embed will be, with placeholders for the blobs.</summary>
    internal static BlueskyImagesEmbed? Preview(Content content) => content.Images.Count == 0
        ? null
        : new BlueskyImagesEmbed
        {
            Images = [.. content.Images.Select((image, i) => new BlueskyEmbedImage(
                image.Alt ?? "",
                JsonSerializer.SerializeToElement(string.Create(CultureInfo.InvariantCulture, $"{{blob of image {i + 1}}}")),
                image.Width > 0 && image.Height > 0 ? new BlueskyAspectRatio(image.Width, image.Height) : null))],
        };
}
