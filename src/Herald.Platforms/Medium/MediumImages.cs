using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Herald.Contents;
using Herald.Platforms.Http;
using Herald.Platforms.Media;
using Herald.Publications;

namespace Herald.Platforms.Medium;

/// <summary>
/// Uploads a content's images to Medium before the article is created (docs/platforms.md, Medium, "Images"): each
/// image fitted to Herald's reading of Medium's limits and sent to <c>POST /v1/images</c> (<c>multipart/form-data</c>,
/// one part named <c>image</c>); the URL Medium answers goes into the article's Markdown with the alt text as the
/// image's alt. Every accepted URL is stored at once (<see cref="PublishRequest.OnMediaUploaded"/>) and reused by a
/// retry: Medium's image URLs do not expire, so an image is uploaded once per publication.
/// </summary>
internal sealed class MediumImages(TimeProvider timeProvider)
{
    private const string DisplayName = "Medium";

    /// <summary>
    /// Medium documents no size or pixel limit for <c>/v1/images</c> and takes JPEG, PNG, GIF and TIFF. Herald reads it
    /// conservatively: at most 5,000,000 bytes and 8,192 pixels a side, in JPEG or PNG (a still GIF is sent as PNG).
    /// </summary>
    internal static readonly ImageTarget Target = new(5_000_000, 8192L * 8192, 8192, ["image/jpeg", "image/png"]);

    /// <summary>What Herald checks of a content's images before scheduling: Medium names no limits, these are Herald's.</summary>
    internal static readonly ImageSupport Limits = new(MaxCount: 20, MaxAltLength: 1_000);

    /// <summary>The image URLs to write into the article, in the content's order; or the outcome that ends the attempt.</summary>
    public async Task<(IReadOnlyList<string>? Urls, PublishOutcome? Failure)> UploadAsync(
        PublishRequest request, HttpClient client, Func<HttpMethod, string, HttpRequestMessage> message, CancellationToken cancellationToken)
    {
        var images = request.Content.Images;
        var urls = new List<string>(images.Count);
        for (var index = 0; index < images.Count; index++)
        {
            var image = images[index];
            if (request.UploadedMedia.LastOrDefault(m => m.Part == 0 && m.Image == index && m.Sha256 == image.Sha256) is { } earlier)
            {
                urls.Add(earlier.RemoteRef);
                continue;
            }

            var (url, failure) = await UploadOneAsync(request, image, index, client, message, cancellationToken);
            if (failure is not null)
            {
                return (null, failure);
            }

            urls.Add(url!);
        }

        return (urls, null);
    }

    /// <summary>
    /// The Markdown that goes between the title and the body: the cover image first (Medium side-loads its URL and makes
    /// the first image of a story its featured image), then the content's images, each <c>![alt](url)</c>.
    /// </summary>
    public static string Figures(Content content, IReadOnlyList<string> urls)
    {
        var figures = new StringBuilder();
        if (content.CoverImage is { } cover && PlatformHttp.IsHttpUrl(cover))
        {
            figures.Append(CultureInfo.InvariantCulture, $"![]({cover.AbsoluteUri})\n\n");
        }

        for (var i = 0; i < content.Images.Count && i < urls.Count; i++)
        {
            figures.Append(CultureInfo.InvariantCulture, $"![{EscapeAlt(content.Images[i].Alt)}]({urls[i]})\n\n");
        }

        return figures.ToString();
    }

    /// <summary>The alt text on one line, with the characters that would end or format a Markdown image's alt escaped.</summary>
    internal static string EscapeAlt(string? alt)
    {
        if (string.IsNullOrEmpty(alt))
        {
            return "";
        }

        var escaped = new StringBuilder(alt.Length);
        foreach (var c in alt)
        {
            switch (c)
            {
                case '\\' or '[' or ']' or '*' or '_' or '`':
                    escaped.Append('\\').Append(c);
                    break;
                case '\r' or '\n' or '\t':
                    escaped.Append(' ');
                    break;
                default:
                    escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString().Trim();
    }

    private async Task<(string? Url, PublishOutcome? Failure)> UploadOneAsync(
        PublishRequest request, ContentImage image, int index, HttpClient client, Func<HttpMethod, string, HttpRequestMessage> message,
        CancellationToken cancellationToken)
    {
        var number = index + 1;
        var (fitted, unreadable) = await StoredImageFitting.FitAsync(request, image, number, Target, cancellationToken);
        if (fitted is null)
        {
            return (null, unreadable);
        }

        // One image per request, in a part named "image" that carries the image's own Content-Type.
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(fitted.Bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(fitted.MediaType);
        form.Add(file, "image", string.Create(CultureInfo.InvariantCulture, $"image-{number}.{fitted.MediaType["image/".Length..]}"));
        using var upload = message(HttpMethod.Post, "images");
        upload.Content = form;
        using var answer = await PlatformHttp.SendAsync(client, upload, DisplayName, cancellationToken);
        if (answer.Failure is { } sendFailure)
        {
            // An upload is not a post: a lost answer is simply tried again.
            return (null, sendFailure.Kind == PublishOutcomeKind.Unknown ? PublishOutcome.Transient($"Image {number}: {sendFailure.Error}") : sendFailure);
        }

        if (!answer.IsSuccess)
        {
            var outcome = MediumErrors.Classify(answer.Status, answer.Body, HttpOutcomes.RetryAfter(answer.Response, timeProvider), create: false);
            var error = answer.Status == 403
                ? $"Image {number}: Medium refused the upload (HTTP 403){Said(answer.Body)}. Uploading images needs the uploadImage scope, which Medium grants only on request; leave Medium out for contents with images, or remove them."
                : $"Image {number} (upload): {outcome.Error}";
            return (null, outcome with { Error = error });
        }

        var url = PlatformHttp.TryDeserialize<MediumEnvelope<MediumImageUploaded>>(answer.Body)?.Data?.Url;
        if (PlatformHttp.ParseAbsolute(url) is not { } parsed || !PlatformHttp.IsHttpUrl(parsed))
        {
            return (null, PublishOutcome.Transient($"Medium accepted image {number} (HTTP {answer.Status}) but named no image URL; it is uploaded again on the retry."));
        }

        // Kept before anything else: a retry writes this URL instead of uploading the image again.
        await request.OnMediaUploaded(new UploadedMedia(0, index, image.Sha256!, parsed.AbsoluteUri, timeProvider.GetUtcNow()), cancellationToken);
        return (parsed.AbsoluteUri, null);
    }

    private static string Said(string body) => MediumErrors.Describe(body) is { } said ? $": {said}" : "";
}
