namespace Herald.Media;

/// <summary>
/// Image bytes kept in Herald's database, named by their SHA-256, so that every worker on every machine can read
/// what was scheduled. Herald.Storage implements it for SQLite and PostgreSQL; one per scope, sharing the
/// publication store's connection and transaction.
/// </summary>
public interface IMediaStore
{
    /// <summary>Whether bytes with this SHA-256 (lower-case hex) are stored.</summary>
    Task<bool> ContainsAsync(string sha256, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="data"/> under <paramref name="media"/>'s SHA-256 unless it is there already, streaming
    /// it (never the whole file in memory), in the current transaction when there is one.
    /// </summary>
    Task AddAsync(StoredMedia media, Stream data, CancellationToken cancellationToken = default);

    /// <summary>The stored bytes, read as a stream; null when nothing is stored under <paramref name="sha256"/>.</summary>
    Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken = default);
}

/// <summary>What is known of stored bytes.</summary>
/// <param name="Sha256">Their SHA-256, lower-case hex.</param>
/// <param name="MediaType">The media type sniffed from them, such as <c>image/png</c>.</param>
/// <param name="Length">Their size in bytes.</param>
/// <param name="Width">The image's width in pixels.</param>
/// <param name="Height">The image's height in pixels.</param>
public sealed record StoredMedia(string Sha256, string MediaType, long Length, int Width, int Height);

/// <summary>
/// Reads an image's facts from its bytes: its real format (never trusted from a name or a header), its size as
/// displayed, and whether it is animated. Herald.Platforms implements it with SkiaSharp.
/// </summary>
public interface IImageInspector
{
    /// <summary>The image's facts, or why Herald cannot post it.</summary>
    ImageInspection Inspect(Stream data);
}

/// <summary>The result of <see cref="IImageInspector.Inspect"/>: the facts, or a refusal in words.</summary>
public sealed record ImageInspection
{
    public string? MediaType { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    /// <summary>Why the image cannot be posted ("is an animated GIF …"); null when it can.</summary>
    public string? Refusal { get; init; }

    public static ImageInspection Refused(string reason) => new() { Refusal = reason };
}
