using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.Medium;

/// <summary>An image uploaded to the simulated Medium with <c>POST /v1/images</c>.</summary>
public sealed record MediumImage
{
    /// <summary>The MD5 of the bytes, lower-case hex: the <c>md5</c> of the answer and the file's name.</summary>
    public required string Md5 { get; init; }

    public required string OwnerId { get; init; }

    public required byte[] Bytes { get; init; }

    /// <summary>The type sniffed from the bytes.</summary>
    public required string MediaType { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    /// <summary>The file name under <c>/medium/images/</c>, such as <c>0f3….png</c>.</summary>
    public required string FileName { get; init; }

    public required DateTimeOffset UploadedAt { get; init; }
}

/// <summary>An image in a post's content (<c>![alt](url)</c> or <c>&lt;img src alt&gt;</c>), side-loaded by Medium.</summary>
/// <param name="Alt">The alt text as written ("" for none).</param>
/// <param name="Url">The URL as written.</param>
/// <param name="Upload">The upload it names, when it is an image of the simulated Medium.</param>
public sealed record MediumPostImage(string Alt, string Url, MediumImage? Upload)
{
    /// <summary>As the sandbox's pages show it: an upload is served by the sandbox, any other URL is shown from where it is.</summary>
    public SandboxImage Image => Upload is { } upload
        ? new SandboxImage(Alt, upload.MediaType, upload.Bytes.LongLength, upload.Width, upload.Height, $"/medium/images/{upload.FileName}")
        : new SandboxImage(Alt, "", 0, 0, 0, Url);
}

/// <summary>
/// The simulated Medium's images (docs/platforms.md, Medium, "Images"): one image per request in a part named
/// <c>image</c>, its type sniffed from the bytes (JPEG, PNG, GIF or TIFF), at most <see cref="ImageLimit"/> bytes,
/// uploads only for a token with the <c>uploadImage</c> scope. Uploads never expire, as Medium's image URLs do not.
/// </summary>
public sealed partial class MediumImageState
{
    /// <summary>
    /// Medium documents no size limit for <c>/v1/images</c>; the sandbox refuses more than 5,000,000 bytes, Herald's
    /// conservative reading, so an image Herald failed to fit shows up here.
    /// </summary>
    public const long ImageLimit = 5_000_000;

    private static readonly string[] ImageTypes = ["image/jpeg", "image/png", "image/gif", "image/tiff"];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, MediumImage> _images = new(StringComparer.Ordinal);
    private readonly SandboxState _sandbox;

    internal MediumImageState(SandboxState sandbox) => _sandbox = sandbox;

    /// <summary>Every upload, oldest first.</summary>
    public IReadOnlyList<MediumImage> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _images.Values.OrderBy(i => i.UploadedAt)];
            }
        }
    }

    /// <summary>Stores an upload, or gives the status and message of Medium's error body.</summary>
    internal (MediumImage? Image, int Status, string? Error) Upload(MediumSandboxUser user, IReadOnlyList<(string Name, string? ContentType, byte[] Bytes)> files)
    {
        if (!user.CanUploadImages)
        {
            return (null, 403, "This integration token does not have the uploadImage scope.");
        }

        if (files.Count != 1 || files[0].Name != "image")
        {
            return (null, 400, "Only one image may be sent per request, in a multipart part named image.");
        }

        var (_, declared, bytes) = files[0];
        if (declared is null || !ImageTypes.Contains(declared, StringComparer.OrdinalIgnoreCase))
        {
            return (null, 400, $"The image part's Content-Type must be one of {string.Join(", ", ImageTypes)}, not '{declared}'.");
        }

        var type = TypeOf(bytes);
        if (type is null)
        {
            return (null, 400, "The image is not a JPEG, PNG, GIF or TIFF file.");
        }

        if (bytes.LongLength > ImageLimit)
        {
            return (null, 413, string.Create(CultureInfo.InvariantCulture, $"The image is {bytes.LongLength:N0} bytes; it may be at most {ImageLimit:N0}."));
        }

        var md5 = Convert.ToHexStringLower(MD5.HashData(bytes));
        var (width, height) = SandboxImageSniffer.SizeOf(bytes);
        lock (_lock)
        {
            var key = $"{user.Id}:{md5}";
            if (!_images.TryGetValue(key, out var image))
            {
                image = new MediumImage
                {
                    Md5 = md5,
                    OwnerId = user.Id,
                    Bytes = bytes,
                    MediaType = type,
                    Width = width,
                    Height = height,
                    FileName = $"{md5}.{type["image/".Length..].Replace("jpeg", "jpg", StringComparison.Ordinal)}",
                    UploadedAt = _sandbox.TimeProvider.GetUtcNow(),
                };
                _images[key] = image;
            }

            return (image, 201, null);
        }
    }

    internal MediumImage? Find(string fileName)
    {
        lock (_lock)
        {
            return _images.Values.FirstOrDefault(i => i.FileName == fileName);
        }
    }

    /// <summary>The images of a post's content, in order, as Medium side-loads them.</summary>
    internal IReadOnlyList<MediumPostImage> InContent(string content, string contentFormat)
    {
        var found = contentFormat == "html"
            ? HtmlImage().Matches(content).Select(m => (Alt: AltOf(m.Value), Url: m.Groups["src"].Value))
            : MarkdownImage().Matches(content).Select(m => (Alt: Unescape().Replace(m.Groups["alt"].Value, "$1"), Url: m.Groups["url"].Value));
        return [.. found.Select(i => new MediumPostImage(i.Alt, i.Url, Uploaded(i.Url)))];
    }

    private MediumImage? Uploaded(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.AbsolutePath.StartsWith("/medium/images/", StringComparison.Ordinal))
        {
            return null;
        }

        return Find(uri.AbsolutePath["/medium/images/".Length..]);
    }

    private static string AltOf(string tag) => HtmlAlt().Match(tag) is { Success: true } alt ? System.Net.WebUtility.HtmlDecode(alt.Groups["alt"].Value) : "";

    /// <summary>The four types Medium takes, from the magic numbers; TIFF is little- or big-endian.</summary>
    private static string? TypeOf(byte[] bytes) =>
        bytes.AsSpan().StartsWith("II*\0"u8) || bytes.AsSpan().StartsWith("MM\0*"u8) ? "image/tiff"
        : SandboxImageSniffer.TypeOf(bytes) is { } type && ImageTypes.Contains(type) ? type
        : null;

    [GeneratedRegex(@"!\[(?<alt>(?:\\.|[^\]\\])*)\]\((?<url>[^)\s]+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex MarkdownImage();

    [GeneratedRegex(@"\\(.)", RegexOptions.CultureInvariant)]
    private static partial Regex Unescape();

    [GeneratedRegex("<img\\b[^>]*\\bsrc=\"(?<src>[^\"]+)\"[^>]*>", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex HtmlImage();

    [GeneratedRegex("\\balt=\"(?<alt>[^\"]*)\"", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex HtmlAlt();
}
