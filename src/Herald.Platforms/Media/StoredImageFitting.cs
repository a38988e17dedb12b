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

        using var turn = await ImageFitter.WaitTurnAsync(cancellationToken);
        await using var stored = await request.OpenMedia(image.Sha256, cancellationToken);
        return stored is null
            ? (null, PublishOutcome.Permanent($"Image {number} is no longer in Herald's database (sha256 {image.Sha256})."))
            : (ImageFitter.Fit(stored, target), null);
    }
}
