using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Herald.Contents;
using Herald.Platforms.Http;
using Herald.Platforms.Media;
using Herald.Publications;

namespace Herald.Platforms.Mastodon;

/// <summary>
/// Uploads a content's images to a Mastodon instance before the first part is created (docs/platforms.md, Mastodon,
/// "Images"): each image fitted to the instance's defaults, sent to <c>POST /api/v2/media</c> with its alt text as
/// <c>description</c>; an answer of 202 (still processing) is followed by <c>GET /api/v1/media/:id</c> until 200.
/// Every accepted id is stored at once (<see cref="PublishRequest.OnMediaUploaded"/>) and reused by a retry, so an
/// image is uploaded once per publication; an upload is not a post, so a failed one is simply tried again.
/// </summary>
internal sealed class MastodonMedia(TimeProvider timeProvider, MastodonOptions options)
{
    private const string DisplayName = "Mastodon";

    /// <summary>Most polls of one processing image before the attempt gives up (the id is kept for the retry).</summary>
    private const int MaxPolls = 60;

    /// <summary>
    /// Mastodon's defaults: an image strictly under 16 MiB, in JPEG, PNG or WebP (a GIF is re-encoded as PNG). Mastodon
    /// takes up to 33,177,600 pixels (7680×4320) but keeps at most 8,294,400 (3840×2160), resizing anything larger
    /// itself; Herald scales to that, so it sends no pixels Mastodon would drop.
    /// </summary>
    internal static readonly ImageTarget Target = new(16L * 1024 * 1024 - 1, KeptPixels, 7680, ["image/jpeg", "image/png", "image/webp"]);

    /// <summary>The most pixels Mastodon keeps of an image (3840×2160); it resizes a larger one on upload.</summary>
    internal const long KeptPixels = 8_294_400;

    /// <summary>The media ids to attach, in the content's order; or the outcome that ends the attempt.</summary>
    public async Task<(IReadOnlyList<string>? Ids, PublishOutcome? Failure)> UploadAsync(
        PublishRequest request, HttpClient client, Uri instance, string token, CancellationToken cancellationToken)
    {
        var images = request.Content.Images;
        var ids = new List<string>(images.Count);
        for (var index = 0; index < images.Count; index++)
        {
            var image = images[index];
            var earlier = request.UploadedMedia.FirstOrDefault(m => m.Part == 0 && m.Image == index && m.Sha256 == image.Sha256);
            if (earlier is not null)
            {
                ids.Add(earlier.RemoteRef);
                continue;
            }

            var (id, failure) = await UploadOneAsync(request, image, index, client, instance, token, cancellationToken);
            if (failure is not null)
            {
                return (null, failure);
            }

            ids.Add(id!);
        }

        return (ids, null);
    }

    private async Task<(string? Id, PublishOutcome? Failure)> UploadOneAsync(
        PublishRequest request, ContentImage image, int index, HttpClient client, Uri instance, string token, CancellationToken cancellationToken)
    {
        var number = index + 1;
        var (fitted, unreadable) = await StoredImageFitting.FitAsync(request, image, number, Target, cancellationToken);
        if (fitted is null)
        {
            return (null, unreadable);
        }

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(fitted.Bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(fitted.MediaType);
        form.Add(file, "file", string.Create(CultureInfo.InvariantCulture, $"image-{number}.{fitted.MediaType["image/".Length..]}"));
        if (!string.IsNullOrEmpty(image.Alt))
        {
            form.Add(new StringContent(image.Alt), "description");
        }

        using var message = Message(HttpMethod.Post, instance, "api/v2/media", token);
        message.Content = form;
        using var answer = await PlatformHttp.SendAsync(client, message, DisplayName, cancellationToken);
        if (Failed(answer, number) is { } failure)
        {
            return (null, failure with { FromUpload = true });
        }

        if (PlatformHttp.TryDeserialize<MastodonMediaAttachment>(answer.Body)?.Id is not { Length: > 0 } id)
        {
            return (null, PublishOutcome.Transient($"Mastodon accepted image {number} but named no media id; it is uploaded again on the retry."));
        }

        // Kept before anything else: a retry attaches this id instead of uploading the image again.
        await request.OnMediaUploaded(new UploadedMedia(0, index, image.Sha256!, id, timeProvider.GetUtcNow()), cancellationToken);
        return answer.Response.StatusCode == HttpStatusCode.Accepted
            ? await WaitProcessedAsync(client, instance, token, id, number, cancellationToken)
            : (id, null);
    }

    /// <summary><c>GET /api/v1/media/:id</c> until it answers 200 (206: still processing; 422: processing failed).</summary>
    private async Task<(string? Id, PublishOutcome? Failure)> WaitProcessedAsync(
        HttpClient client, Uri instance, string token, string id, int number, CancellationToken cancellationToken)
    {
        for (var poll = 0; poll < MaxPolls; poll++)
        {
            await Task.Delay(options.MediaPollInterval, timeProvider, cancellationToken);
            using var message = Message(HttpMethod.Get, instance, $"api/v1/media/{Uri.EscapeDataString(id)}", token);
            using var answer = await PlatformHttp.SendAsync(client, message, DisplayName, cancellationToken);
            if (Failed(answer, number) is { } failure)
            {
                return (null, failure);
            }

            if (answer.Response.StatusCode == HttpStatusCode.OK)
            {
                return (id, null);
            }
        }

        return (null, PublishOutcome.Transient($"Mastodon is still processing image {number}; the post is tried again later with the same upload."));
    }

    /// <summary>The outcome of a failed upload or read; an upload is not a post, so an unknown answer is a plain retry.</summary>
    private PublishOutcome? Failed(PlatformAnswer answer, int number)
    {
        if (answer.Failure is { } failure)
        {
            return failure.Kind == PublishOutcomeKind.Unknown
                ? PublishOutcome.Transient($"Image {number}: {failure.Error}")
                : failure;
        }

        if (answer.IsSuccess)
        {
            return null;
        }

        var retryAfter = MastodonErrors.UntilReset(answer.Header("X-RateLimit-Reset"), timeProvider.GetUtcNow()) ??
                         HttpOutcomes.RetryAfter(answer.Response, timeProvider);
        var outcome = MastodonErrors.Classify(answer.Response.StatusCode, answer.Body, retryAfter);
        var error = $"Image {number}: {outcome.Error}";
        return outcome.Kind == PublishOutcomeKind.Unknown
            ? PublishOutcome.Transient(error, outcome.HttpStatus)
            : outcome with { Error = error };
    }

    private static HttpRequestMessage Message(HttpMethod method, Uri instance, string relative, string token)
    {
        var message = new HttpRequestMessage(method, PlatformHttp.Combine(instance, relative));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        message.Headers.UserAgent.Add(new ProductInfoHeaderValue("Herald", "1.0"));
        return message;
    }
}
