using System.Globalization;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.X;

/// <summary>An upload of the simulated X (<c>POST /2/media/upload</c>).</summary>
public sealed record XMedia
{
    /// <summary>The media id: digits, as a string like every id in API v2.</summary>
    public required string Id { get; init; }

    /// <summary><c>3_&lt;id&gt;</c>, as X names an image in expansions.</summary>
    public string MediaKey => "3_" + Id;

    /// <summary>The user who uploaded it; only they may attach it or give it alt text.</summary>
    public required string OwnerId { get; init; }

    public required byte[] Bytes { get; init; }

    /// <summary>The type sniffed from the bytes.</summary>
    public required string MediaType { get; init; }

    public required string Category { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    public required DateTimeOffset UploadedAt { get; init; }

    /// <summary>Set by <c>POST /2/media/metadata</c>; "" while none was given.</summary>
    public string AltText { get; internal set; } = "";

    public SandboxImage Image => new(AltText, MediaType, Bytes.LongLength, Width, Height, $"/x/media/{Id}");
}

/// <summary>
/// The simulated X's media (docs/platforms.md, X, "Images"): the simple upload's categories, the type sniffed from the
/// bytes (JPEG, PNG, WebP or GIF), images up to 5,000,000 bytes, alt text up to 1,000 characters, ids that only their
/// uploader may use and that expire (<see cref="XSandboxOptions.MediaLifetime"/>) unless attached.
/// </summary>
public sealed class XMediaState(SandboxState sandbox)
{
    /// <summary>The image limit, "5 MB" read as 5,000,000 bytes (the stricter reading).</summary>
    public const long ImageLimit = 5_000_000;

    public const int AltTextLimit = 1_000;

    /// <summary>The <c>media_category</c> values the simple upload takes.</summary>
    public static readonly IReadOnlyList<string> Categories = ["tweet_image", "dm_image", "subtitles"];

    private static readonly string[] ImageTypes = ["image/jpeg", "image/png", "image/webp", "image/gif"];

    private readonly Lock _lock = new();
    private readonly List<XMedia> _media = [];
    private readonly HashSet<string> _attached = new(StringComparer.Ordinal);
    private long _lastId = 1_880_000_000_000_000_000;

    /// <summary>Every upload, oldest first.</summary>
    public IReadOnlyList<XMedia> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _media];
            }
        }
    }

    /// <summary>Stores an upload, or names what is wrong with it (the detail of a 400 problem).</summary>
    internal (XMedia? Media, string? Error) Upload(XSandboxUser user, byte[]? bytes, string? category)
    {
        if (bytes is null || bytes.Length == 0)
        {
            return (null, "The `media` field is required.");
        }

        if (string.IsNullOrEmpty(category) || !Categories.Contains(category))
        {
            return (null, $"The `media_category` field must be one of [{string.Join(", ", Categories)}], not '{category}'.");
        }

        var type = SandboxImageSniffer.TypeOf(bytes);
        if (type is null || !ImageTypes.Contains(type))
        {
            return (null, "The media type is not supported: send a JPEG, PNG, WEBP or GIF image.");
        }

        if (bytes.LongLength > ImageLimit)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"The image is {bytes.LongLength:N0} bytes; an image may be at most {ImageLimit:N0}."));
        }

        var (width, height) = SandboxImageSniffer.SizeOf(bytes);
        lock (_lock)
        {
            _lastId += 1 + sandbox.NextRandom(0, 1 << 12);
            var media = new XMedia
            {
                Id = _lastId.ToString(CultureInfo.InvariantCulture),
                OwnerId = user.Id,
                Bytes = bytes,
                MediaType = type,
                Category = category,
                Width = width,
                Height = height,
                UploadedAt = sandbox.TimeProvider.GetUtcNow(),
            };
            _media.Add(media);
            return (media, null);
        }
    }

    /// <summary>Sets the alt text of the caller's own upload, or names what is wrong.</summary>
    internal (XMedia? Media, string? Error) SetAltText(XSandboxUser user, string? id, string? text)
    {
        if (text is null)
        {
            return (null, "$.metadata.alt_text.text is required.");
        }

        // JSON Schema's maxLength counts code points.
        var length = text.EnumerateRunes().Count();
        if (length > AltTextLimit)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"$.metadata.alt_text.text is {length:N0} characters long; it may be at most {AltTextLimit:N0}."));
        }

        lock (_lock)
        {
            var media = Usable(user, id);
            if (media is null)
            {
                return (null, $"The media id [{id}] is not a valid upload of this user.");
            }

            media.AltText = text;
            return (media, null);
        }
    }

    /// <summary>The checks of <c>media.media_ids</c> on a create: the uploads in order, or null when any id is invalid.</summary>
    internal IReadOnlyList<XMedia>? ForPost(XSandboxUser user, IReadOnlyList<string> ids)
    {
        if (ids.Count is < 1 or > 4 || ids.Any(id => id.Length is < 1 or > 19 || !id.All(char.IsAsciiDigit)))
        {
            return null;
        }

        lock (_lock)
        {
            var found = ids.Select(id => Usable(user, id)).OfType<XMedia>().ToList();
            return found.Count == ids.Count ? found : null;
        }
    }

    /// <summary>Marks uploads as attached: they no longer expire.</summary>
    internal void Attach(IReadOnlyList<XMedia> media)
    {
        lock (_lock)
        {
            foreach (var item in media)
            {
                _attached.Add(item.Id);
            }
        }
    }

    internal XMedia? Find(string id)
    {
        lock (_lock)
        {
            return _media.FirstOrDefault(m => m.Id == id);
        }
    }

    /// <summary>The JSON of an upload's <c>data</c>.</summary>
    internal object Json(XMedia media) => new
    {
        id = media.Id,
        media_key = media.MediaKey,
        size = media.Bytes.LongLength,
        expires_after_secs = (long)sandbox.Options.X.MediaLifetime.TotalSeconds,
        image = new { image_type = media.MediaType, w = media.Width, h = media.Height },
    };

    private XMedia? Usable(XSandboxUser user, string? id)
    {
        var media = _media.FirstOrDefault(m => m.Id == id && m.OwnerId == user.Id);
        return media is not null && (_attached.Contains(media.Id) || sandbox.TimeProvider.GetUtcNow() < media.UploadedAt + sandbox.Options.X.MediaLifetime)
            ? media
            : null;
    }
}
