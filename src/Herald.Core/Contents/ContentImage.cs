namespace Herald.Contents;

/// <summary>
/// An image attached to a content: where it comes from and its alt text. Scheduling reads the image, checks it and
/// stores its bytes (content-addressed, in Herald's database); from then on <see cref="Sha256"/> names the bytes and
/// the source file is no longer needed.
/// </summary>
public sealed record ContentImage
{
    /// <summary>
    /// Where the image is: an absolute local path (a path in front matter is made absolute against the Markdown file's
    /// folder when the file is read) or an http(s) URL.
    /// </summary>
    public required string Source { get; init; }

    /// <summary>The alt text. Null when none was given (refused by platforms that require it); "" is an explicit opt-out.</summary>
    public string? Alt { get; init; }

    /// <summary>The SHA-256 of the stored bytes, lower-case hex; null until the image is stored.</summary>
    public string? Sha256 { get; init; }

    /// <summary>The media type sniffed from the bytes, such as <c>image/png</c>; null until the image is stored.</summary>
    public string? MediaType { get; init; }

    /// <summary>The stored size in bytes.</summary>
    public long Length { get; init; }

    /// <summary>The width in pixels, as displayed (after the EXIF orientation).</summary>
    public int Width { get; init; }

    /// <summary>The height in pixels, as displayed.</summary>
    public int Height { get; init; }

    /// <summary>True once the bytes are stored and described.</summary>
    public bool IsStored => Sha256 is not null;

    /// <summary>True when the source is an http(s) URL rather than a local file.</summary>
    public bool IsRemote =>
        Uri.TryCreate(Source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
