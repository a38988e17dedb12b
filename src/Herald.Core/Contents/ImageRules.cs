using System.Globalization;
using Herald.Validation;

namespace Herald.Contents;

/// <summary>What a platform takes in images, as far as the content can be checked before the bytes are read.</summary>
/// <param name="MaxCount">The most images one post carries.</param>
/// <param name="MaxAltLength">The longest alt text, in characters (text elements).</param>
/// <param name="RequireAlt">Refuse an image whose alt text was not given (an explicit <c>alt: ""</c> passes).</param>
public sealed record ImageSupport(int MaxCount, int MaxAltLength, bool RequireAlt = true);

/// <summary>The per-platform rules on a content's images, each problem naming the image (<c>images[1].alt</c>).</summary>
public static class ImageRules
{
    /// <summary>The problems of <paramref name="content"/>'s images on a platform that takes them.</summary>
    public static IReadOnlyList<ValidationProblem> Validate(Content content, ImageSupport support, string platformId, string displayName)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(support);
        var problems = new List<ValidationProblem>();
        var images = content.Images;
        if (images.Count > support.MaxCount)
        {
            problems.Add(new ValidationProblem("images", string.Create(CultureInfo.InvariantCulture,
                $"has {images.Count} images; {displayName} takes at most {support.MaxCount} on a post"), platformId));
        }

        for (var i = 0; i < images.Count; i++)
        {
            var alt = images[i].Alt;
            if (alt is null && support.RequireAlt)
            {
                problems.Add(new ValidationProblem($"images[{i}].alt", string.Create(CultureInfo.InvariantCulture,
                    $"is required on {displayName}: describe the image ({Name(images[i])}) for people who cannot see it, or write alt: \"\" to post it without"),
                    platformId));
            }
            else if (alt is not null && new StringInfo(alt).LengthInTextElements is var length && length > support.MaxAltLength)
            {
                problems.Add(new ValidationProblem($"images[{i}].alt", string.Create(CultureInfo.InvariantCulture,
                    $"is {length:N0} characters long; {displayName} takes at most {support.MaxAltLength:N0}"), platformId));
            }
        }

        return problems;
    }


    private static string Name(ContentImage image) =>
        image.IsRemote ? image.Source : Path.GetFileName(image.Source) is { Length: > 0 } file ? file : image.Source;
}
