using System.Globalization;
using Herald.Cli.Output;
using Herald.Platforms.Media;
using Herald.Validation;

namespace Herald.Cli.Commands;

/// <summary>How <c>herald preview</c> shows a platform's images: what each becomes, how it gets there, and why it would be refused.</summary>
internal static class PreviewImages
{
    /// <summary>
    /// Each image on three lines or more: its source and alt text; how it reaches the platform with its final format,
    /// size and dimensions; what fitting did; then its refusals.
    /// </summary>
    public static void Print(IReadOnlyList<ImagePreview> images, Reporter reporter)
    {
        if (images.Count == 0)
        {
            return;
        }

        reporter.Line(string.Create(CultureInfo.InvariantCulture, $"  images ({images.Count}):"));
        foreach (var image in images)
        {
            reporter.Line(string.Create(CultureInfo.InvariantCulture, $"    {image.Index + 1}. {Name(image.Source)} · {Alt(image.Alt)}"));
            reporter.Line($"       {How(image)}{Facts(image)}");
            reporter.Line($"       {image.Fitting}");
            foreach (var refusal in image.Refusals)
            {
                reporter.Line($"       ! would be refused: {refusal}");
            }
        }
    }

    /// <summary>True for a problem of one image (<c>images[0].alt</c>), which <see cref="Print"/> shows with the image.</summary>
    public static bool IsAboutAnImage(ValidationProblem problem) => problem.Field.StartsWith("images[", StringComparison.Ordinal);

    private static string Name(string source) =>
        Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? source : Path.GetFileName(source);

    private static string Alt(string? alt) => alt switch
    {
        null => "no alt text",
        "" => "no alt text (alt: \"\")",
        _ => $"alt \"{alt}\"",
    };

    private static string How(ImagePreview image) => image.Delivery switch
    {
        ImageDelivery.Upload => "uploaded",
        ImageDelivery.Manual => "attached by hand",
        _ => image.Url is { } url ? $"downloaded from {url.AbsoluteUri}" : "no URL",
    };

    private static string Facts(ImagePreview image) => image.MediaType is null
        ? ""
        : string.Create(CultureInfo.InvariantCulture, $": {image.Format}, {image.Length:N0} bytes, {image.Width}×{image.Height}");
}
