using System.Globalization;
using System.Text;
using Herald.Contents;
using Herald.Platforms.Media;
using Herald.Validation;

namespace Herald.Platforms.DevTo;

/// <summary>
/// Images on Dev.to (docs/platforms.md, Dev.to, "Images"): the Forem API has no image upload, so an article's
/// images are Markdown images by public URL (<c>![alt](url)</c>), placed after the body; Forem serves them through
/// its own image proxy.
/// </summary>
internal static class DevToImages
{
    /// <summary>The name of Dev.to's fitted variant at <c>/media/{sha256}?fit=devto</c>.</summary>
    public const string Fit = "devto";

    /// <summary>
    /// Forem documents no image limits. Herald keeps what it serves within what any browser and image proxy handle
    /// well: at most 10,000,000 bytes, 4096 pixels on a side, JPEG, PNG or WebP, without metadata.
    /// </summary>
    public static readonly ImageTarget Target = new(10_000_000, 4096L * 4096, 4096, ["image/jpeg", "image/png", "image/webp"]);

    /// <summary>Herald's own cap, not Forem's: alt text is optional in Markdown, and 100 images is a long article.</summary>
    public static readonly ImageSupport Support = new(MaxCount: 100, MaxAltLength: 1_000, RequireAlt: false);

    /// <summary>A remote image stays at its own URL: a browser shows whatever the author's site serves.</summary>
    public static Uri? UrlOf(ContentImage image, Uri? publicBase) => PublicMedia.UrlOf(image, publicBase, Fit, _ => true);

    public static IEnumerable<ValidationProblem> Problems(Content content, Uri? publicBase, string platformId, string displayName)
    {
        foreach (var problem in ImageRules.Validate(content, Support, platformId, displayName))
        {
            yield return problem;
        }

        for (var i = 0; i < content.Images.Count; i++)
        {
            if (PublicMedia.HasNoUrl(content.Images[i], publicBase, UrlOf(content.Images[i], publicBase)))
            {
                yield return new ValidationProblem(string.Create(CultureInfo.InvariantCulture, $"images[{i}].src"),
                    PublicMedia.NoPublicUrl(content.Images[i], displayName, "has no image upload API (an article shows images by URL only)"), platformId);
            }
        }
    }

    /// <summary>The body with the content's images after it, one Markdown image per paragraph; images without a URL are left out.</summary>
    public static string Append(string body, IReadOnlyList<ContentImage> images, Uri? publicBase)
    {
        var markdown = new StringBuilder(body.TrimEnd());
        foreach (var image in images)
        {
            if (UrlOf(image, publicBase) is not { } url)
            {
                continue;
            }

            if (markdown.Length > 0)
            {
                markdown.Append("\n\n");
            }

            markdown.Append("![").Append(EscapeAlt(image.Alt ?? "")).Append("](<").Append(url.AbsoluteUri).Append(">)");
        }

        return markdown.Length > body.TrimEnd().Length ? markdown.Append('\n').ToString() : body;
    }

    private static string EscapeAlt(string alt) =>
        alt.ReplaceLineEndings(" ").Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);
}
