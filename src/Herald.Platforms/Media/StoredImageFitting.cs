using Herald.Contents;

namespace Herald.Platforms.Media;

/// <summary>What every adapter does before an upload: read an image's stored bytes and fit them to the platform.</summary>
internal static class StoredImageFitting
{
    /// <summary>The fitted image; or a permanent outcome when its bytes are not in Herald's database.</summary>
    public static async Task<(FittedImage? Image, PublishOutcome? Failure)> FitAsync(
        PublishRequest request, ContentImage image, int number, ImageTarget target, CancellationToken cancellationToken)
    {
        if (image.Sha256 is null)
        {
            return (null, PublishOutcome.Permanent($"Image {number} was never stored: schedule the content again."));
        }

        var fitted = await FitLine.Publishing.FitAsync(token => request.OpenMedia(image.Sha256, token), target, cancellationToken);
        return fitted is null
            ? (null, PublishOutcome.Permanent($"Image {number} is no longer in Herald's database (sha256 {image.Sha256})."))
            : (fitted, null);
    }
}
