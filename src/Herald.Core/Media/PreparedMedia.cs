using System.Globalization;
using System.Security.Cryptography;
using Herald.Contents;

namespace Herald.Media;

/// <summary>Images read and checked, waiting in temporary copies to be stored; the copies go when it is disposed.</summary>
internal sealed class PreparedMedia : IAsyncDisposable
{
    private readonly Dictionary<string, (StoredMedia Media, string Path)> _media = new(StringComparer.Ordinal);
    private readonly List<string> _files = [];

    /// <summary>How many distinct images wait to be stored.</summary>
    public int Count => _media.Count;

    public void Add(StoredMedia media, string path) => _media.TryAdd(media.Sha256, (media, path));

    /// <summary>
    /// Copies <paramref name="source"/> to a private temporary file, hashing it and keeping its first bytes on the way;
    /// null (and no copy left) when it holds more than <paramref name="maxBytes"/>, found while reading, whatever the
    /// source claimed beforehand.
    /// </summary>
    public async Task<MediaCopy?> CopyAsync(Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"herald-media-{Guid.NewGuid():N}");
        _files.Add(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var header = new byte[MediaSniffer.HeaderLength];
        var headerLength = 0;
        long length = 0;
        var buffer = new byte[81920];
        await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true))
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                length += read;
                if (length > maxBytes)
                {
                    break;
                }

                hash.AppendData(buffer, 0, read);
                var take = Math.Min(read, header.Length - headerLength);
                if (take > 0)
                {
                    Array.Copy(buffer, 0, header, headerLength, take);
                    headerLength += take;
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }

        if (length > maxBytes)
        {
            Delete(path);
            _files.Remove(path);
            return null;
        }

        return new MediaCopy(path, Convert.ToHexStringLower(hash.GetHashAndReset()), length, header[..headerLength]);
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
            Delete(file);
        }

        _files.Clear();
        return ValueTask.CompletedTask;
    }

    private static void Delete(string file)
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
}

/// <summary>A private temporary copy of an image: where it is, its SHA-256, its size and its first bytes (for sniffing).</summary>
internal sealed record MediaCopy(string Path, string Sha256, long Length, byte[] Header);

/// <summary>What reading an image gave: its temporary copy and, when fetched, the type the server claimed (for messages only); or a refusal.</summary>
internal sealed record CopyOutcome(MediaCopy? Copy, string? ClaimedType, string? Refusal)
{
    public static CopyOutcome Refused(string reason) => new(null, null, reason);

    /// <summary>The refusal of an image over <see cref="ContentLimits.MaxImageBytes"/>, with its size when known.</summary>
    public static string TooLarge(long? length, long maxBytes) => string.Create(CultureInfo.InvariantCulture,
        $"is too large: {(length is { } l ? $"{l:N0} bytes" : $"more than {maxBytes:N0} bytes arrived")}; Herald accepts images up to {maxBytes:N0} bytes ({ContentLimits.Section}:{nameof(ContentLimits.MaxImageBytes)})");
}
