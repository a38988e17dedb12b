using System.Globalization;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.Mastodon;

/// <summary>An uploaded MediaAttachment of the simulated instance.</summary>
public sealed record MastodonMedia
{
    public required string Id { get; init; }

    public required MastodonAccount Account { get; init; }

    public required byte[] Bytes { get; init; }

    public required string MediaType { get; init; }

    public string Description { get; init; } = "";

    public int Width { get; init; }

    public int Height { get; init; }

    /// <summary>Reads left before processing ends (202 on upload, 206 on read while above zero).</summary>
    public int PollsLeft { get; set; }

    /// <summary>The status it is attached to; null while unattached.</summary>
    public string? StatusId { get; set; }

    public SandboxImage Image => new(Description, MediaType, Bytes.LongLength, Width, Height, $"/mastodon/system/media/{Id}");
}

/// <summary>
/// The instance's media (docs/platforms.md, Mastodon, "Images"): type sniffed from the bytes, images strictly under
/// 16 MiB and at most 33,177,600 pixels, alt text up to 1,500 characters (this simulated 4.3 instance), 30 uploads
/// per 30 minutes, an id usable only by its owner and only once, and attachment refused while it is processing.
/// </summary>
public sealed class MastodonMediaState(SandboxState sandbox)
{
    public const long ImageLimit = 16L * 1024 * 1024;
    public const long MatrixLimit = 33_177_600;
    public const int DescriptionLimit = 1_500;
    private static readonly string[] ImageTypes = ["image/jpeg", "image/png", "image/gif", "image/webp"];

    private readonly object _lock = new();
    private readonly List<MastodonMedia> _media = [];
    private long _nextId = 1000;

    /// <summary>Every upload, oldest first.</summary>
    public IReadOnlyList<MastodonMedia> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _media];
            }
        }
    }

    internal (MastodonMedia? Media, int Status, string? Error) Upload(MastodonAccount account, byte[]? bytes, string? description)
    {
        if (bytes is null || bytes.Length == 0)
        {
            return (null, 422, "Validation failed: File can't be blank");
        }

        var type = SandboxImageSniffer.TypeOf(bytes);
        if (type is null || !ImageTypes.Contains(type))
        {
            return (null, 422, "Validation failed: File content type is invalid, File is invalid");
        }

        if (bytes.LongLength >= ImageLimit)
        {
            return (null, 422, "Validation failed: File file size must be less than 16 MB");
        }

        var (width, height) = SandboxImageSniffer.SizeOf(bytes);
        if ((long)width * height > MatrixLimit)
        {
            return (null, 422, string.Create(CultureInfo.InvariantCulture, $"{width}x{height} images are not supported"));
        }

        if ((description ?? "").Length > DescriptionLimit)
        {
            return (null, 422, string.Create(CultureInfo.InvariantCulture, $"Validation failed: Description is too long (maximum is {DescriptionLimit} characters)"));
        }

        lock (_lock)
        {
            var media = new MastodonMedia
            {
                Id = (++_nextId).ToString(CultureInfo.InvariantCulture),
                Account = account,
                Bytes = bytes,
                MediaType = type,
                Description = description ?? "",
                Width = width,
                Height = height,
                PollsLeft = sandbox.Options.Mastodon.MediaProcessingPolls,
            };
            _media.Add(media);
            return (media, media.PollsLeft > 0 ? 202 : 200, null);
        }
    }

    /// <summary>A read of an upload: 404 for another account's, 206 while processing (counting a poll), else 200.</summary>
    internal (MastodonMedia? Media, int Status) Read(MastodonAccount account, string id)
    {
        lock (_lock)
        {
            var media = _media.FirstOrDefault(m => m.Id == id && m.Account == account);
            if (media is null)
            {
                return (null, 404);
            }

            if (media.PollsLeft > 0)
            {
                media.PollsLeft--;
                return (media, 206);
            }

            return (media, 200);
        }
    }

    /// <summary>The checks of <c>PostStatusService#validate_media!</c>; the media on success, or the 422's message.</summary>
    internal (IReadOnlyList<MastodonMedia>? Media, string? Error) ForStatus(MastodonAccount account, IReadOnlyList<string> ids)
    {
        if (ids.Count > 4)
        {
            return (null, "Cannot attach more than 4 files");
        }

        lock (_lock)
        {
            var found = ids.Select(id => _media.FirstOrDefault(m => m.Id == id && m.Account == account && m.StatusId is null)).ToList();
            if (found.Any(m => m is null))
            {
                return (null, $"Media {string.Join(", ", ids.Where((_, i) => found[i] is null))} not found or already attached to another post");
            }

            return found.Any(m => m!.PollsLeft > 0)
                ? (null, "Cannot attach files that have not finished processing. Try again in a moment!")
                : (found!, null);
        }
    }

    internal void Attach(IReadOnlyList<MastodonMedia> media, string statusId)
    {
        lock (_lock)
        {
            foreach (var item in media)
            {
                item.StatusId = statusId;
            }
        }
    }

    internal MastodonMedia? Find(string id)
    {
        lock (_lock)
        {
            return _media.FirstOrDefault(m => m.Id == id);
        }
    }
}
