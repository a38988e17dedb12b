using System.Globalization;
using System.Security.Cryptography;
using Herald.Contents;
using Herald.Validation;

namespace Herald.Media;

/// <summary>
/// Scheduling's first half for images: every image of every content is read once into a private temporary copy,
/// hashed (SHA-256), sniffed and inspected, and the content's images get their facts. Nothing is stored: a refusal
/// (a missing file, a video, an animated GIF, a file over <see cref="ContentLimits.MaxImageBytes"/>) throws with
/// every problem named, before the transaction. <see cref="PreparedMedia.StoreAsync"/> is the second half, inside it.
/// </summary>
internal static class MediaIngest
{
    private static readonly string[] Accepted = ["image/png", "image/jpeg", "image/gif", "image/webp"];

    /// <summary>Reads and checks the images of <paramref name="contents"/>, each with the prefix of its fields (<c>items[2].</c> in a bulk call).</summary>
    public static async Task<PreparedMedia> PrepareAsync(
        IReadOnlyList<(Content Content, string Prefix)> contents, IImageInspector? inspector, ContentLimits limits, CancellationToken cancellationToken)
    {
        var prepared = new PreparedMedia();
        var problems = new List<ValidationProblem>();
        try
        {
            foreach (var (content, prefix) in contents)
            {
                if (content.Images.Count == 0 || content.Images.All(i => i.IsStored))
                {
                    continue;
                }

                if (inspector is null)
                {
                    problems.Add(new ValidationProblem($"{prefix}images", "cannot be read: no image inspector is registered (AddMastodon() or AddBluesky() registers one)"));
                    continue;
                }

                var images = new List<ContentImage>(content.Images.Count);
                for (var i = 0; i < content.Images.Count; i++)
                {
                    var image = content.Images[i];
                    var field = string.Create(CultureInfo.InvariantCulture, $"{prefix}images[{i}].src");
                    images.Add(image.IsStored ? image : await ReadAsync(image, field, inspector, limits, prepared, problems, cancellationToken) ?? image);
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
        ContentImage image, string field, IImageInspector inspector, ContentLimits limits, PreparedMedia prepared,
        List<ValidationProblem> problems, CancellationToken cancellationToken)
    {
        if (image.IsRemote)
        {
            // The guarded fetch of remote images is not built yet: refused clearly rather than fetched unguarded.
            problems.Add(new ValidationProblem(field, $"is a URL ({image.Source}); Herald does not fetch remote images yet: download it and give its local path"));
            return null;
        }

        var file = new FileInfo(image.Source);
        if (!file.Exists)
        {
            problems.Add(new ValidationProblem(field, $"names no file: '{image.Source}' does not exist (a relative src is read from the Markdown file's folder)"));
            return null;
        }

        if (file.Length > limits.MaxImageBytes)
        {
            problems.Add(new ValidationProblem(field, string.Create(CultureInfo.InvariantCulture,
                $"is {file.Length:N0} bytes; Herald accepts images up to {limits.MaxImageBytes:N0} bytes ({ContentLimits.Section}:{nameof(ContentLimits.MaxImageBytes)})")));
            return null;
        }

        var copy = await prepared.CopyAsync(file, cancellationToken);
        var type = MediaSniffer.Sniff(copy.Header);
        if (type is null || !Accepted.Contains(type, StringComparer.Ordinal))
        {
            problems.Add(new ValidationProblem(field, type switch
            {
                null => $"is not an image Herald can read ({file.Name}): it takes PNG, JPEG, WebP and GIF files, recognised by their content",
                _ when type.StartsWith("video/", StringComparison.Ordinal) => $"is a video ({type}); Herald posts images only for now",
                _ => $"is {type}; Herald takes PNG, JPEG, WebP and GIF images (convert it to one of these)",
            }));
            return null;
        }

        ImageInspection inspection;
        await using (var stream = File.OpenRead(copy.Path))
        {
            inspection = inspector.Inspect(stream);
        }

        if (inspection.Refusal is { } refusal)
        {
            problems.Add(new ValidationProblem(field, refusal));
            return null;
        }

        var media = new StoredMedia(copy.Sha256, type, copy.Length, inspection.Width, inspection.Height);
        prepared.Add(media, copy.Path);
        return image with { Sha256 = media.Sha256, MediaType = media.MediaType, Length = media.Length, Width = media.Width, Height = media.Height };
    }
}

/// <summary>Images read and checked, waiting in temporary copies to be stored; the copies go when it is disposed.</summary>
internal sealed class PreparedMedia : IAsyncDisposable
{
    private readonly Dictionary<string, (StoredMedia Media, string Path)> _media = new(StringComparer.Ordinal);
    private readonly List<string> _files = [];

    /// <summary>How many distinct images wait to be stored.</summary>
    public int Count => _media.Count;

    public void Add(StoredMedia media, string path) => _media.TryAdd(media.Sha256, (media, path));

    /// <summary>Copies <paramref name="file"/> to a private temporary file, hashing it and keeping its first bytes on the way.</summary>
    public async Task<(string Path, string Sha256, long Length, byte[] Header)> CopyAsync(FileInfo file, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"herald-media-{Guid.NewGuid():N}");
        _files.Add(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var header = new byte[MediaSniffer.HeaderLength];
        var headerLength = 0;
        long length = 0;
        var buffer = new byte[81920];
        await using (var source = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true))
        await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true))
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                var take = Math.Min(read, header.Length - headerLength);
                if (take > 0)
                {
                    Array.Copy(buffer, 0, header, headerLength, take);
                    headerLength += take;
                }

                length += read;
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }

        return (path, Convert.ToHexStringLower(hash.GetHashAndReset()), length, header[..headerLength]);
    }

    /// <summary>Stores every image the store does not hold yet, streaming each from its copy.</summary>
    public async Task StoreAsync(IMediaStore store, CancellationToken cancellationToken)
    {
        foreach (var (media, path) in _media.Values)
        {
            if (await store.ContainsAsync(media.Sha256, cancellationToken))
            {
                continue;
            }

            await using var data = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await store.AddAsync(media, data, cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var file in _files)
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A temporary copy left behind is cleaned by the system's temporary folder policy.
            }
        }

        _files.Clear();
        return ValueTask.CompletedTask;
    }
}
