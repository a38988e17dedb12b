using System.Globalization;
using Herald.Publications;

namespace Herald.Platforms.Threads;

/// <summary>
/// The container of a post with images (docs/platforms.md, Threads, "Images"): one image is an IMAGE container
/// carrying the text; two to twenty are IMAGE item containers (<c>is_carousel_item=true</c>), each waited for
/// until FINISHED (Threads has downloaded it), then a CAROUSEL container naming them as <c>children</c>, with the
/// text. Threads downloads each image when its container is made, so an image container is what an upload is
/// elsewhere: each is kept (<see cref="PublishRequest.OnMediaUploaded"/>) and used again by a retry while Threads
/// still holds it, never made twice needlessly.
/// </summary>
internal sealed class ThreadsImageContainers(ThreadsApi api, ThreadsPartPublisher publisher, Uri? publicBase, TimeProvider timeProvider)
{
    /// <summary>
    /// How long a container of an earlier try is used again. Threads expires an unpublished container after 24 hours;
    /// an older one is made anew rather than risk publishing an expired one.
    /// </summary>
    public static readonly TimeSpan ReuseFor = TimeSpan.FromHours(20);

    /// <summary>The id of the container to publish for the part with the images; or the outcome that ends the try.</summary>
    public async Task<(string? ContainerId, PublishOutcome? Failure)> ContainerAsync(
        PublishRequest request, string text, string? replyToId, CancellationToken cancellationToken)
    {
        var images = request.Content.Images;
        var urls = new List<string>(images.Count);
        for (var i = 0; i < images.Count; i++)
        {
            if (ThreadsImages.UrlOf(images[i], publicBase) is not { } url)
            {
                return (null, PublishOutcome.Permanent(string.Create(CultureInfo.InvariantCulture,
                    $"Image {i + 1} has no public URL for Threads to download it from: set Herald:PublicBaseUrl to where 'herald serve' is reachable, or give the image as an http(s) URL.")));
            }

            urls.Add(url.AbsoluteUri);
        }

        if (images.Count == 1)
        {
            return await ImageAsync(request, 0, urls[0], text, replyToId, carouselItem: false, cancellationToken);
        }

        var children = new List<string>(images.Count);
        for (var i = 0; i < images.Count; i++)
        {
            var (id, failure) = await ImageAsync(request, i, urls[i], null, null, carouselItem: true, cancellationToken);
            if (id is null)
            {
                return (null, failure);
            }

            children.Add(id);
        }

        // Whether Threads requires the items to be FINISHED before the carousel is made is not documented: waited for.
        for (var i = 0; i < children.Count; i++)
        {
            if (await publisher.WaitUntilFinishedAsync(children[i], cancellationToken) is { } stopped)
            {
                return (null, stopped with { Error = $"Image {i + 1}: {stopped.Error}" });
            }
        }

        return await ThreadsPartPublisher.CreateAsync(api.CreateContainerAsync(ThreadsForm.CarouselContainer(children, text, replyToId), cancellationToken));
    }

    private async Task<(string? Id, PublishOutcome? Failure)> ImageAsync(
        PublishRequest request, int index, string url, string? text, string? replyToId, bool carouselItem, CancellationToken cancellationToken)
    {
        var image = request.Content.Images[index];
        var now = timeProvider.GetUtcNow();
        var earlier = request.UploadedMedia
            .LastOrDefault(m => m.Part == 0 && m.Image == index && m.Sha256 == image.Sha256 && now - m.UploadedAt < ReuseFor)?.RemoteRef;
        if (earlier is not null && await StillHeldAsync(earlier, cancellationToken))
        {
            return (earlier, null);
        }

        var fields = ThreadsForm.ImageContainer(url, image.Alt, text, replyToId, carouselItem);
        var (id, failure) = await ThreadsPartPublisher.CreateAsync(api.CreateContainerAsync(fields, cancellationToken));
        if (id is null)
        {
            return (null, failure! with { Error = $"Image {index + 1}: {failure.Error}" });
        }

        // Kept before anything else: a retry uses this container instead of having Threads download the image again.
        await request.OnMediaUploaded(new UploadedMedia(0, index, image.Sha256 ?? "", id, now), cancellationToken);
        return (id, null);
    }

    /// <summary>
    /// Whether an earlier try's container can still be used: anything but EXPIRED, ERROR or a container Threads
    /// refuses to show. A PUBLISHED one is used too: the part's publisher then finds the post it became.
    /// </summary>
    private async Task<bool> StillHeldAsync(string containerId, CancellationToken cancellationToken)
    {
        var answer = await api.ContainerStatusAsync(containerId, cancellationToken);
        return answer.Value?.Status is { } status
            ? status is not (ThreadsContainerStatus.Expired or ThreadsContainerStatus.Error)
            : answer.IsNotFoundYet || answer.Failure?.Kind is PublishOutcomeKind.Transient or PublishOutcomeKind.Unknown;
    }
}
