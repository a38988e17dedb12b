using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Herald.Contents;
using Herald.Platforms.Http;
using Herald.Platforms.Media;
using Herald.Publications;

namespace Herald.Platforms.LinkedIn;

/// <summary>
/// Uploads a content's images through LinkedIn's Images API before the post is created (docs/platforms.md, LinkedIn,
/// "Images"): <c>POST /rest/images?action=initializeUpload</c> for the author, one <c>PUT</c> of the fitted bytes to
/// the upload URL it answers, then <c>GET /rest/images/{urn}</c> until the image is <c>AVAILABLE</c> (a bounded wait).
/// Every image URN is stored once its bytes are sent (<see cref="PublishRequest.OnMediaUploaded"/>); a retry asks
/// LinkedIn for its status and reuses it while it is there, so an image is uploaded once per publication.
/// </summary>
internal sealed class LinkedInImages(TimeProvider timeProvider, LinkedInOptions options)
{
    private const string DisplayName = "LinkedIn";

    /// <summary>Most reads of one image's status before the attempt gives up (the URN is kept for the retry).</summary>
    private const int MaxPolls = 30;

    /// <summary>
    /// LinkedIn's image limits as far as they are known: fewer than 36,152,320 pixels, JPG, PNG or GIF; no file size is
    /// documented, so Herald keeps to 5,000,000 bytes, and to 8,192 pixels a side. A GIF is sent as PNG.
    /// </summary>
    internal static readonly ImageTarget Target = new(5_000_000, 36_152_319, 8192, ["image/jpeg", "image/png"]);

    /// <summary>
    /// One image (<c>content.media</c>) or 2 to 20 (<c>content.multiImage</c>). LinkedIn names no limit for a post
    /// image's <c>altText</c>; Herald keeps to 1,000 characters.
    /// </summary>
    internal static readonly ImageSupport Limits = new(MaxCount: 20, MaxAltLength: 1_000);

    /// <summary>The image URNs to attach, in the content's order; or the outcome that ends the attempt.</summary>
    public async Task<(IReadOnlyList<string>? Urns, PublishOutcome? Failure)> UploadAsync(
        PublishRequest request, LinkedInCaller caller, string author, CancellationToken cancellationToken)
    {
        var images = request.Content.Images;
        var urns = new List<string>(images.Count);
        for (var index = 0; index < images.Count; index++)
        {
            var image = images[index];
            var number = index + 1;
            string? urn = null;
            if (request.UploadedMedia.LastOrDefault(m => m.Part == 0 && m.Image == index && m.Sha256 == image.Sha256) is { } earlier)
            {
                // Reused while LinkedIn still has it: an image that is gone or failed is uploaded again.
                var (reusable, failure) = await WaitAvailableAsync(caller, earlier.RemoteRef, number, reuse: true, cancellationToken);
                if (failure is not null)
                {
                    return (null, failure);
                }

                urn = reusable;
            }

            if (urn is null)
            {
                var (uploaded, failure) = await UploadOneAsync(request, caller, author, image, index, cancellationToken);
                if (failure is not null)
                {
                    return (null, failure);
                }

                (urn, failure) = await WaitAvailableAsync(caller, uploaded!, number, reuse: false, cancellationToken);
                if (failure is not null)
                {
                    return (null, failure);
                }
            }

            urns.Add(urn!);
        }

        return (urns, null);
    }

    /// <summary>What a person attaches by hand in manual mode: each image with its alt text.</summary>
    public static string ManualList(Content content)
    {
        if (content.Images.Count == 0)
        {
            return "";
        }

        var list = new StringBuilder("\n\n---\nAttach these images by hand (Add media), each with its alt text (Alternative text):\n");
        for (var i = 0; i < content.Images.Count; i++)
        {
            var image = content.Images[i];
            var name = image.IsRemote ? image.Source : Path.GetFileName(image.Source);
            var alt = string.IsNullOrEmpty(image.Alt) ? "(no alt text)" : $"alt: {image.Alt}";
            list.Append(CultureInfo.InvariantCulture, $"{i + 1}. {name} — {alt}\n");
        }

        return list.ToString().TrimEnd('\n');
    }

    private async Task<(string? Urn, PublishOutcome? Failure)> UploadOneAsync(
        PublishRequest request, LinkedInCaller caller, string author, ContentImage image, int index, CancellationToken cancellationToken)
    {
        var number = index + 1;
        var (fitted, unreadable) = await StoredImageFitting.FitAsync(request, image, number, Target, cancellationToken);
        if (fitted is null)
        {
            return (null, unreadable);
        }

        var initialize = JsonSerializer.Serialize(new LinkedInInitializeUpload(new LinkedInInitializeUploadRequest(author)), PlatformHttp.Json);
        using (var answer = await caller.SendAsync(HttpMethod.Post, caller.Rest("images?action=initializeUpload"), LinkedInCaller.Json(initialize), cancellationToken))
        {
            if (Failed(answer, number, "initializeUpload") is { } failure)
            {
                return (null, failure);
            }

            var value = PlatformHttp.TryDeserialize<LinkedInValue<LinkedInUploadTicket>>(answer.Body)?.Value;
            if (value is not { Image.Length: > 0 } || PlatformHttp.ParseAbsolute(value.UploadUrl) is not { } uploadUrl || !PlatformHttp.IsHttpUrl(uploadUrl))
            {
                return (null, PublishOutcome.Transient($"LinkedIn answered initializeUpload for image {number} (HTTP {answer.Status}) without an upload URL and image URN."));
            }

            // The whole file in one PUT: the upload URL is single-shot, and a second PUT would replace the first.
            var bytes = new ByteArrayContent(fitted.Bytes);
            bytes.Headers.ContentType = new MediaTypeHeaderValue(fitted.MediaType);
            using var put = await caller.SendAsync(HttpMethod.Put, uploadUrl, bytes, cancellationToken);
            if (Failed(put, number, "upload") is { } putFailure)
            {
                return (null, putFailure);
            }

            // Kept before anything else: a retry asks for this image's status instead of uploading it again.
            await request.OnMediaUploaded(new UploadedMedia(0, index, image.Sha256!, value.Image, timeProvider.GetUtcNow()), cancellationToken);
            return (value.Image, null);
        }
    }

    /// <summary>
    /// <c>GET /rest/images/{urn}</c> until <c>AVAILABLE</c>, at most <see cref="MaxPolls"/> reads apart by
    /// <see cref="LinkedInOptions.ImagePollInterval"/>. For a reused URN, null (upload again) when LinkedIn no longer
    /// has it, it failed or its bytes never arrived.
    /// </summary>
    private async Task<(string? Urn, PublishOutcome? Failure)> WaitAvailableAsync(
        LinkedInCaller caller, string urn, int number, bool reuse, CancellationToken cancellationToken)
    {
        for (var poll = 0; poll < MaxPolls; poll++)
        {
            if (poll > 0)
            {
                await Task.Delay(options.ImagePollInterval, timeProvider, cancellationToken);
            }

            using var answer = await caller.SendAsync(HttpMethod.Get, caller.Rest($"images/{Uri.EscapeDataString(urn)}"), null, cancellationToken);
            if (!reuse && answer.Failure is null && answer.Status == 403)
            {
                // A member token may not be allowed to read images (reported by clients, unconfirmed): after a grace
                // period the post is created, and LinkedIn refuses it if the image is not ready.
                await Task.Delay(options.ImagePollInterval * 3, timeProvider, cancellationToken);
                return (urn, null);
            }

            if (answer.Failure is null && (answer.Status == 404 || (reuse && answer.Status is 400 or 403)))
            {
                return (null, reuse ? null : PublishOutcome.Transient($"LinkedIn no longer knows image {number} ({urn}) just after its upload; it is uploaded again on the retry."));
            }

            if (Failed(answer, number, "status") is { } failure)
            {
                return (null, failure);
            }

            switch (PlatformHttp.TryDeserialize<LinkedInImageStatus>(answer.Body)?.Status)
            {
                case "AVAILABLE":
                    return (urn, null);
                case "PROCESSING_FAILED" when reuse:
                    return (null, null);
                case "PROCESSING_FAILED":
                    return (null, PublishOutcome.Permanent($"LinkedIn could not process image {number} ({urn}): PROCESSING_FAILED."));
                case "WAITING_UPLOAD" when reuse:
                    // The earlier attempt stopped before its bytes arrived: that upload URL is spent.
                    return (null, null);
            }
        }

        return (null, PublishOutcome.Transient(
            $"LinkedIn is still processing image {number}; the post is tried again later with the same upload."));
    }

    /// <summary>The outcome of a failed image call; none of them makes a post, so an unknown answer is a plain retry.</summary>
    private PublishOutcome? Failed(PlatformAnswer answer, int number, string step)
    {
        if (answer.Failure is { } failure)
        {
            return failure.Kind == PublishOutcomeKind.Unknown ? PublishOutcome.Transient($"Image {number} ({step}): {failure.Error}") : failure;
        }

        if (answer.IsSuccess)
        {
            return null;
        }

        var outcome = LinkedInErrors.Classify(answer.Response.StatusCode, answer.Body, HttpOutcomes.RetryAfter(answer.Response, timeProvider), options.Version, timeProvider.GetUtcNow());
        var error = answer.Status == 403
            ? $"Image {number} ({step}): LinkedIn refused it (HTTP 403){Said(answer.Body)}: the token needs w_member_social (w_organization_social for a page), and the image must belong to author_urn."
            : $"Image {number} ({step}): {outcome.Error}";
        return outcome.Kind is PublishOutcomeKind.Unknown or PublishOutcomeKind.Published
            ? PublishOutcome.Transient(error, answer.Status)
            : outcome with { Error = error };
    }

    private static string Said(string body) => LinkedInErrors.Message(body) is { } said ? $": {said}" : "";
}
