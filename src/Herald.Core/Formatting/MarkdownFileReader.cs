using Herald.Contents;
using Herald.Validation;

namespace Herald.Formatting;

/// <summary>
/// Reads a Markdown file into a <see cref="Content"/> under the configured <see cref="ContentLimits"/>, for the
/// CLI, the library and the server alike: a file too large, binary (a NUL byte) or not UTF-8 is refused with a
/// <see cref="ContentValidationException"/> before anything parses it.
/// </summary>
public sealed class MarkdownFileReader(ContentLimits limits, TimeProvider timeProvider)
{
    /// <summary>Reads and parses <paramref name="path"/>; the content is stamped with the current time.</summary>
    /// <exception cref="ContentValidationException">The file is refused, or cannot be read as Herald content.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public async Task<Content> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var length = new FileInfo(path).Length;
        if (length > limits.MaxContentBytes)
        {
            // Refused by its size alone: a 5 GB file is never read into memory.
            throw new ContentValidationException([new ValidationProblem("file", ContentRules.TooLarge(length, limits))]);
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        var content = MarkdownDocument.Parse(bytes, timeProvider.GetUtcNow(), limits);
        if (content.Images.Count > 0)
        {
            content.ReplaceImages(ResolveImages(content.Images, Path.GetDirectoryName(Path.GetFullPath(path)) ?? "."));
        }

        return content;
    }

    /// <summary>Local image paths made absolute against the Markdown file's folder; URLs kept as written.</summary>
    internal static List<ContentImage> ResolveImages(IReadOnlyList<ContentImage> images, string folder) =>
        images.Select(image => image.IsRemote ? image : image with { Source = Path.GetFullPath(image.Source, folder) }).ToList();
}
