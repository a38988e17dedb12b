namespace Herald.Platforms.Media;

/// <summary>
/// One image as one platform would get it, for <c>herald preview</c> and <c>POST /api/v1/previews</c>: how it gets
/// there, the size, format and dimensions it would have after fitting (when the bytes were read), and what fitting did.
/// </summary>
public sealed record ImagePreview
{
    /// <summary>Its place in the content's images, from 0 (as in <c>images[0]</c>).</summary>
    public required int Index { get; init; }

    /// <summary>Where it comes from: a local path or an http(s) URL.</summary>
    public required string Source { get; init; }

    /// <summary>Its alt text; null when none was given, "" for an explicit opt-out.</summary>
    public string? Alt { get; init; }

    /// <summary>Uploaded, downloaded by the platform from <see cref="Url"/>, or attached by hand.</summary>
    public required ImageDelivery Delivery { get; init; }

    /// <summary>The URL the platform downloads it from; null unless <see cref="Delivery"/> is <see cref="ImageDelivery.Url"/> and there is one.</summary>
    public Uri? Url { get; init; }

    /// <summary>The final format, such as <c>image/jpeg</c>; null when the bytes are not read before scheduling (an image given by URL).</summary>
    public string? MediaType { get; init; }

    /// <summary>The final format's short name, such as <c>JPEG</c>.</summary>
    public string? Format => MediaType is null ? null : ImageFitting.FormatName(MediaType);

    /// <summary>The final size in bytes.</summary>
    public long? Length { get; init; }

    /// <summary>The final width in pixels.</summary>
    public int? Width { get; init; }

    /// <summary>The final height in pixels.</summary>
    public int? Height { get; init; }

    /// <summary>
    /// What happens to the image: the fitting steps ("re-encoded PNG → JPEG to fit the size limit, resized from
    /// 8000×6000 to 4000×3000, quality 90, metadata removed"), "sent as is", or what is left until scheduling.
    /// </summary>
    public required string Fitting { get; init; }

    /// <summary>Why the platform would refuse it, each as <c>field: rule</c>; empty when it would go.</summary>
    public IReadOnlyList<string> Refusals { get; init; } = [];
}
