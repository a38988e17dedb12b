using Herald.Platforms;

namespace Herald.Contents;

/// <summary>
/// How much content Herald accepts (section <c>Herald:Limits</c>): the size of a file or body, and how many
/// posts a thread may have, overall or per platform (<c>Herald:Limits:Platforms:{platform}:MaxThreadParts</c>).
/// </summary>
/// <remarks>
/// The limits keep a mistaken input — a binary file, a whole book — from becoming hundreds of posts, and keep
/// validation and previews fast on the largest input accepted (docs/reliability.md, "Fuzzing").
/// </remarks>
public sealed class ContentLimits
{
    /// <summary>
    /// 512 KiB: about 80,000 words of Markdown, several times the longest article any supported platform
    /// shows, yet small enough that parsing, rendering and splitting it for every platform stays well under
    /// a second.
    /// </summary>
    public const int DefaultMaxContentBytes = 512 * 1024;

    /// <summary>25 posts: a long thread by any reader's measure, and a quarter of X's 100 writes per 15 minutes.</summary>
    public const int DefaultMaxThreadParts = 25;

    /// <summary>50 MiB: above every platform's own image limit, so fitting, not this cap, decides what goes out.</summary>
    public const long DefaultMaxImageBytes = 50L * 1024 * 1024;

    /// <summary>The configuration section these limits are read from.</summary>
    public const string Section = "Herald:Limits";

    /// <summary>The largest content accepted, in UTF-8 bytes: a Markdown file as stored, or a body. Default 512 KiB.</summary>
    public int MaxContentBytes { get; set; } = DefaultMaxContentBytes;

    /// <summary>The most posts a thread may have on any platform. Default 25.</summary>
    public int MaxThreadParts { get; set; } = DefaultMaxThreadParts;

    /// <summary>The largest image file accepted at scheduling, in bytes. Default 50 MiB.</summary>
    public long MaxImageBytes { get; set; } = DefaultMaxImageBytes;

    /// <summary>Per-platform limits, keyed by platform id (<c>x</c>, <c>mastodon</c> …); they win over the overall ones.</summary>
    public Dictionary<string, PlatformContentLimits> Platforms { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The most posts a thread may have on <paramref name="platformId"/>.</summary>
    public int MaxThreadPartsFor(string platformId) =>
        PlatformLimits(platformId)?.MaxThreadParts ?? MaxThreadParts;

    /// <summary>The configuration key that sets <see cref="MaxThreadPartsFor"/>, for error messages.</summary>
    public string MaxThreadPartsKey(string platformId) =>
        PlatformLimits(platformId)?.MaxThreadParts is null
            ? $"{Section}:{nameof(MaxThreadParts)}"
            : $"{Section}:{nameof(Platforms)}:{PlatformRegistry.Normalize(platformId)}:{nameof(MaxThreadParts)}";

    /// <summary>Every setting out of range, each naming its key; empty when the limits are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxContentBytes <= 0)
        {
            yield return $"{Section}:{nameof(MaxContentBytes)} must be positive (it is {MaxContentBytes}).";
        }

        if (MaxImageBytes <= 0)
        {
            yield return $"{Section}:{nameof(MaxImageBytes)} must be positive (it is {MaxImageBytes}).";
        }

        if (MaxThreadParts <= 0)
        {
            yield return $"{Section}:{nameof(MaxThreadParts)} must be positive (it is {MaxThreadParts}).";
        }

        foreach (var (platform, limits) in Platforms)
        {
            if (limits.MaxThreadParts is <= 0)
            {
                yield return $"{Section}:{nameof(Platforms)}:{platform}:{nameof(MaxThreadParts)} must be positive (it is {limits.MaxThreadParts}).";
            }
        }
    }

    private PlatformContentLimits? PlatformLimits(string platformId)
    {
        var id = PlatformRegistry.Normalize(platformId);
        return Platforms.FirstOrDefault(p => PlatformRegistry.Normalize(p.Key) == id).Value;
    }
}

/// <summary>Limits of one platform (<c>Herald:Limits:Platforms:{platform}</c>); unset ones follow the overall limits.</summary>
public sealed class PlatformContentLimits
{
    /// <summary>The most posts a thread may have on this platform; null for <see cref="ContentLimits.MaxThreadParts"/>.</summary>
    public int? MaxThreadParts { get; set; }
}
