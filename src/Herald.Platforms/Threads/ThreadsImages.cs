using System.Globalization;
using Herald.Contents;
using Herald.Platforms.Media;
using Herald.Validation;

namespace Herald.Platforms.Threads;

/// <summary>
/// What Threads takes in images (docs/platforms.md, Threads, "Images"), read conservatively: JPEG or PNG, at most
/// 8 MB (taken as 8,000,000 bytes), an aspect ratio within 10:1; one image per post, or a carousel of 2 to 20; alt
/// text up to 1,000 characters. Threads downloads each image from a public URL itself.
/// </summary>
internal static class ThreadsImages
{
    /// <summary>The name of Threads' fitted variant at <c>/media/{sha256}?fit=threads</c>.</summary>
    public const string Fit = "threads";

    public const long MaxBytes = 8_000_000;

    /// <summary>The widest (or tallest) an image may be relative to its other side.</summary>
    public const double MaxAspectRatio = 10;

    public static readonly ImageSupport Support = new(MaxCount: 20, MaxAltLength: 1_000);

    /// <summary>
    /// Threads' limits for the fitter. Threads scales an image wider than 1440 pixels down itself, so only the bytes
    /// and the format need fitting; 8192 on a side keeps a decoded image within reason.
    /// </summary>
    public static readonly ImageTarget Target = new(MaxBytes, 8192L * 8192, 8192, ["image/jpeg", "image/png"]);

    /// <summary>Whether Threads takes a remote image from its own URL: a JPEG or PNG within the limits, or one not read yet.</summary>
    public static bool SourceFits(ContentImage image) =>
        !image.IsStored || (image.MediaType is "image/jpeg" or "image/png" && image.Length <= MaxBytes);

    /// <summary>What decides, once a remote image is fetched at scheduling, whether Threads takes it from its own URL.</summary>
    public const string SourceCondition =
        "its own URL if, fetched at scheduling, it is a JPEG or PNG of at most 8,000,000 bytes; else Herald's fitted copy under Herald:PublicBaseUrl (refused without one)";

    /// <summary>The URL Threads fetches <paramref name="image"/> from; null when it has none.</summary>
    public static Uri? UrlOf(ContentImage image, Uri? publicBase) => PublicMedia.UrlOf(image, publicBase, Fit, SourceFits);

    /// <summary>The problems of <paramref name="content"/>'s images on Threads, each named <c>images[i]…</c>.</summary>
    public static IEnumerable<ValidationProblem> Problems(Content content, Uri? publicBase, string platformId)
    {
        foreach (var problem in ImageRules.Validate(content, Support, platformId, ThreadsApi.DisplayName))
        {
            yield return problem;
        }

        for (var i = 0; i < content.Images.Count; i++)
        {
            var image = content.Images[i];
            if (PublicMedia.HasNoUrl(image, publicBase, UrlOf(image, publicBase)))
            {
                yield return new ValidationProblem(string.Create(CultureInfo.InvariantCulture, $"images[{i}].src"), image.IsRemote
                    ? $"is a {image.MediaType} of {image.Length:N0} bytes, which Threads does not take from its URL (JPEG or PNG up to {MaxBytes:N0} bytes); " +
                      "set Herald:PublicBaseUrl to where 'herald serve' is reachable, so that Herald serves a fitted copy, or give a smaller JPEG or PNG"
                    : PublicMedia.NoPublicUrl(image, ThreadsApi.DisplayName, "downloads images from a public URL itself"), platformId);
            }
            else if (image.Width > 0 && image.Height > 0 && Math.Max(image.Width, image.Height) > MaxAspectRatio * Math.Min(image.Width, image.Height))
            {
                yield return new ValidationProblem(string.Create(CultureInfo.InvariantCulture, $"images[{i}]"), string.Create(CultureInfo.InvariantCulture,
                    $"is {image.Width}×{image.Height} pixels; Threads takes an aspect ratio of at most 10:1 (crop it)"), platformId);
            }
        }
    }
}
