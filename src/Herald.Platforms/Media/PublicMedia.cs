using Herald.Contents;
using Herald.Media;

namespace Herald.Platforms.Media;

/// <summary>
/// Images for platforms that fetch them from a URL themselves (Threads, Dev.to): the URL each image is given, and
/// what Herald's server answers at <c>{Herald:PublicBaseUrl}/media/{sha256}</c> (docs/api.md, "Public media").
/// </summary>
/// <remarks>
/// An image whose source is an http(s) URL is given that URL when the platform can take it as it is. Any other
/// image is given <c>media/{sha256}?fit={platform}</c> under the public base URL: the stored bytes fitted to that
/// platform (<see cref="ImageFitter"/>: re-encoded without metadata, scaled and compressed within its limits). The
/// same stored bytes always give the same fitted bytes, so the variant is as cacheable as the original.
/// </remarks>
public static class PublicMedia
{
    /// <summary>The fitted variants the server serves, by their <c>fit</c> name.</summary>
    private static readonly Dictionary<string, ImageTarget> Fits = new(StringComparer.Ordinal)
    {
        [Threads.ThreadsImages.Fit] = Threads.ThreadsImages.Target,
        [DevTo.DevToImages.Fit] = DevTo.DevToImages.Target,
    };

    /// <summary>Whether <paramref name="sha256"/> is 64 lower-case hex digits, as Herald names stored bytes.</summary>
    public static bool IsSha256(string? sha256) =>
        sha256 is { Length: 64 } && sha256.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>Whether <paramref name="fit"/> names a variant the server serves (<c>threads</c>, <c>devto</c>).</summary>
    public static bool IsFit(string fit) => Fits.ContainsKey(fit);

    /// <summary>
    /// The stored bytes named <paramref name="sha256"/> fitted to a platform (re-encoded: no metadata such as GPS EXIF
    /// leaves Herald this way either); null when nothing is stored under that name or <paramref name="fit"/> names no
    /// variant. The bytes as stored are never served.
    /// </summary>
    /// <param name="open">Opens stored bytes by SHA-256, as <see cref="IMediaStore.OpenReadAsync"/> does.</param>
    /// <param name="sha256">The name of the bytes.</param>
    /// <param name="fit">A name <see cref="IsFit"/> accepts.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<PublicMediaFile?> OpenAsync(
        Func<string, CancellationToken, Task<Stream?>> open, string sha256, string fit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        if (!IsSha256(sha256) || !IsFit(fit))
        {
            return null;
        }

        var fitted = await FitLine.Serving.FitAsync(token => open(sha256, token), Fits[fit], cancellationToken);
        return fitted is null ? null : new PublicMediaFile(new MemoryStream(fitted.Bytes, writable: false), fitted.MediaType, $"\"{sha256}-{fit}\"", fitted.Bytes.LongLength);
    }

    /// <summary>
    /// The URL a platform fetches <paramref name="image"/> from: its source URL when it is remote and
    /// <paramref name="sourceFits"/> says the platform takes it as it is, else the fitted variant under
    /// <paramref name="publicBase"/>; null when there is no public base URL for it.
    /// </summary>
    internal static Uri? UrlOf(ContentImage image, Uri? publicBase, string fit, Func<ContentImage, bool> sourceFits)
    {
        if (image.IsRemote && sourceFits(image))
        {
            return new Uri(image.Source);
        }

        return publicBase is null || image.Sha256 is null ? null : new Uri(publicBase, $"media/{image.Sha256}?fit={fit}");
    }

    /// <summary>
    /// Whether <paramref name="image"/> is refused for want of a URL: it has none now (<see cref="UrlOf"/> is null) and will
    /// not have one once stored — a local image not stored yet gets one under <paramref name="publicBase"/> when there is one.
    /// Validation runs before scheduling stores the bytes, so it must not refuse what storing makes servable.
    /// </summary>
    internal static bool HasNoUrl(ContentImage image, Uri? publicBase, Uri? url) => url is null && (publicBase is null || image.IsStored);

    /// <summary>The problem of an image a platform cannot be given a URL for, named <c>images[i].src</c>.</summary>
    internal static string NoPublicUrl(ContentImage image, string displayName, string why) =>
        $"is a local file ({Path.GetFileName(image.Source)}) and {displayName} {why}: give the image as an http(s) URL where it is already public, " +
        "or set Herald:PublicBaseUrl to the address where 'herald serve' is reachable from the internet, so that Herald serves it at {PublicBaseUrl}/media/{sha256}";
}

/// <summary>What the server sends for a <c>/media/{sha256}</c> request.</summary>
/// <param name="Content">The bytes; the caller disposes of it.</param>
/// <param name="MediaType">Their type, read from the bytes.</param>
/// <param name="ETag">A strong entity tag: the same name always means the same bytes.</param>
/// <param name="Length">Their size.</param>
public sealed record PublicMediaFile(Stream Content, string MediaType, string ETag, long? Length);
