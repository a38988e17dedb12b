using System.Globalization;

namespace Herald.Platforms.Media;

/// <summary>
/// What <see cref="ImageFitter"/> did to one image: the source's format and size, what it became, the JPEG or WebP
/// quality it was encoded at, and whether PNG gave way to JPEG to fit the byte limit. Every fitted image is re-encoded,
/// so its metadata is always gone.
/// </summary>
/// <param name="SourceMediaType">The source's format, as read from its bytes (null when Skia names none Herald knows).</param>
/// <param name="SourceWidth">The source's width as displayed (after its EXIF orientation).</param>
/// <param name="SourceHeight">The source's height as displayed.</param>
/// <param name="MediaType">The fitted format.</param>
/// <param name="Width">The fitted width.</param>
/// <param name="Height">The fitted height.</param>
/// <param name="Quality">The JPEG or WebP quality; null for PNG.</param>
/// <param name="ToFitSize">True when a PNG became a JPEG because no PNG fitted the byte limit.</param>
internal sealed record ImageFitting(
    string? SourceMediaType, int SourceWidth, int SourceHeight, string MediaType, int Width, int Height, int? Quality, bool ToFitSize)
{
    public bool Converted => SourceMediaType != MediaType;

    public bool Resized => Width != SourceWidth || Height != SourceHeight;

    /// <summary>"re-encoded PNG → JPEG to fit the size limit, resized from 8000×6000 to 4096×3072, quality 90, metadata removed".</summary>
    public string Describe()
    {
        var steps = new List<string>
        {
            Converted
                ? $"re-encoded {FormatName(SourceMediaType)} → {FormatName(MediaType)}{(ToFitSize ? " to fit the size limit" : "")}"
                : $"re-encoded as {FormatName(MediaType)}",
        };
        if (Resized)
        {
            steps.Add(string.Create(CultureInfo.InvariantCulture, $"resized from {SourceWidth}×{SourceHeight} to {Width}×{Height}"));
        }

        if (Quality is { } quality)
        {
            steps.Add(string.Create(CultureInfo.InvariantCulture, $"quality {quality}"));
        }

        steps.Add("metadata removed");
        return string.Join(", ", steps);
    }

    /// <summary>A format's short name: <c>image/jpeg</c> → <c>JPEG</c>; "unknown" for none.</summary>
    public static string FormatName(string? mediaType) =>
        mediaType is { Length: > 6 } && mediaType.StartsWith("image/", StringComparison.Ordinal) ? mediaType[6..].ToUpperInvariant() : mediaType ?? "unknown";
}
