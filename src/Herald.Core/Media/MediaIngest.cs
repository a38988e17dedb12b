using System.Globalization;
using Herald.Contents;
using Herald.Media.Fetching;
using Herald.Validation;

namespace Herald.Media;

/// <summary>
/// Scheduling's first half for images: every image of every content is read once — from its file, or fetched from its
/// URL through the guarded <see cref="RemoteMediaFetcher"/> — into a private temporary copy, hashed (SHA-256), sniffed
/// and inspected, and the content's images get their facts (a fetched image keeps its URL as its source). Nothing is
/// stored: a refusal (a missing file, an unreachable or private-address URL, a video, an animated GIF, a file over
/// <see cref="ContentLimits.MaxImageBytes"/>) throws with every problem named, before the transaction. <see cref="PreparedMedia.StoreAsync"/> is the second half, inside it.
/// </summary>
internal static class MediaIngest
{
    private static readonly string[] Accepted = ["image/png", "image/jpeg", "image/gif", "image/webp"];

    /// <summary>Reads and checks the images of <paramref name="contents"/>, each with the prefix of its fields (<c>items[2].</c> in a bulk call).</summary>
    public static Task<PreparedMedia> PrepareAsync(
        IReadOnlyList<(Content Content, string Prefix)> contents, IImageInspector? inspector, RemoteMediaFetcher? fetcher, ContentLimits limits,
        CancellationToken cancellationToken) =>
        PrepareAsync(contents, inspector, fetcher, limits, localOnly: false, cancellationToken);

    /// <summary>
    /// As <see cref="PrepareAsync(IReadOnlyList{ValueTuple{Content, string}}, IImageInspector?, RemoteMediaFetcher?, ContentLimits, CancellationToken)"/>;
    /// with <paramref name="localOnly"/> (a preview) images given by URL are left as they are: nothing is fetched.
    /// </summary>
    public static async Task<PreparedMedia> PrepareAsync(
        IReadOnlyList<(Content Content, string Prefix)> contents, IImageInspector? inspector, RemoteMediaFetcher? fetcher, ContentLimits limits,
        bool localOnly, CancellationToken cancellationToken)
    {
        var prepared = new PreparedMedia();
        var problems = new List<ValidationProblem>();
        try
        {
            foreach (var (content, prefix) in contents)
            {
                if (content.Images.All(i => i.IsStored || (localOnly && i.IsRemote)))
                {
                    continue;
                }

                if (inspector is null)
                {
                    problems.Add(new ValidationProblem($"{prefix}images", "cannot be read: no image inspector is registered (every platform's AddX(), AddMastodon() … registers one)"));
                    continue;
                }

                var images = new List<ContentImage>(content.Images.Count);
                for (var i = 0; i < content.Images.Count; i++)
                {
                    var image = content.Images[i];
                    var field = string.Create(CultureInfo.InvariantCulture, $"{prefix}images[{i}].src");
                    images.Add(image.IsStored || (localOnly && image.IsRemote) ? image : await ReadAsync(image, field, new Readers(inspector, fetcher, limits, prepared), problems, cancellationToken) ?? image);
                }

                content.ReplaceImages(images);
            }

            if (problems.Count > 0)
            {
                throw new ContentValidationException(problems);
            }

            return prepared;
        }
        catch
        {
            await prepared.DisposeAsync();
            throw;
        }
    }

    private static async Task<ContentImage?> ReadAsync(
        ContentImage image, string field, Readers readers, List<ValidationProblem> problems, CancellationToken cancellationToken)
    {
        var (outcome, what) = image.IsRemote ? await FetchAsync(image, readers, cancellationToken) : await CopyFileAsync(image, readers, cancellationToken);
        if (outcome.Refusal is { } refusal)
        {
            problems.Add(new ValidationProblem(field, refusal));
            return null;
        }

        var type = MediaSniffer.Sniff(outcome.Copy!.Header);
        if (type is null || !Accepted.Contains(type, StringComparer.Ordinal))
        {
            problems.Add(new ValidationProblem(field, type switch
            {
                null => $"is not an image Herald can read ({what}): it takes PNG, JPEG, WebP and GIF files, recognised by their content",
                _ when type.StartsWith("video/", StringComparison.Ordinal) => $"is a video ({type}); Herald posts images only for now",
                _ => $"is {type}; Herald takes PNG, JPEG, WebP and GIF images (convert it to one of these)",
            }));
            return null;
        }

        ImageInspection inspection;
        await using (var stream = File.OpenRead(outcome.Copy.Path))
        {
            inspection = readers.Inspector.Inspect(stream);
        }

        if (inspection.Refusal is { } refused)
        {
            problems.Add(new ValidationProblem(field, refused));
            return null;
        }

        var media = new StoredMedia(outcome.Copy.Sha256, type, outcome.Copy.Length, inspection.Width, inspection.Height);
        readers.Prepared.Add(media, outcome.Copy.Path);
        return image with { Sha256 = media.Sha256, MediaType = media.MediaType, Length = media.Length, Width = media.Width, Height = media.Height };
    }

    /// <summary>A local file's private copy, and its name for messages.</summary>
    private static async Task<(CopyOutcome Outcome, string What)> CopyFileAsync(ContentImage image, Readers readers, CancellationToken cancellationToken)
    {
        var file = new FileInfo(image.Source);
        if (!file.Exists)
        {
            return (CopyOutcome.Refused($"names no file: '{image.Source}' does not exist (a relative src is read from the Markdown file's folder)"), file.Name);
        }

        var max = readers.Limits.MaxImageBytes;
        if (file.Length > max)
        {
            return (CopyOutcome.Refused(CopyOutcome.TooLarge(file.Length, max)), file.Name);
        }

        await using var source = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        var copy = await readers.Prepared.CopyAsync(source, max, cancellationToken);
        return (copy is null ? CopyOutcome.Refused(CopyOutcome.TooLarge(null, max)) : new CopyOutcome(copy, null, null), file.Name);
    }

    /// <summary>A URL's bytes through the guarded fetcher, and what the server called them for messages.</summary>
    private static async Task<(CopyOutcome Outcome, string What)> FetchAsync(ContentImage image, Readers readers, CancellationToken cancellationToken)
    {
        if (readers.Fetcher is null)
        {
            return (CopyOutcome.Refused("is a URL, and no remote media fetcher is registered (AddHerald registers one)"), image.Source);
        }

        var fetched = await readers.Fetcher.FetchAsync(new Uri(image.Source), readers.Prepared, readers.Limits.MaxImageBytes, cancellationToken);
        return (fetched, fetched.ClaimedType is { } claimed ? $"the server called it {claimed}" : "the server sent no type");
    }

    /// <summary>What reading an image needs.</summary>
    private sealed record Readers(IImageInspector Inspector, RemoteMediaFetcher? Fetcher, ContentLimits Limits, PreparedMedia Prepared);
}
