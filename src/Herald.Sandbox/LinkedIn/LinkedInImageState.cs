using System.Globalization;
using System.Text;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.LinkedIn;

/// <summary>An image of the simulated LinkedIn's Images API, from initializeUpload on.</summary>
public sealed class LinkedInImage
{
    /// <summary>The id in <see cref="Urn"/>, also the last segment of its upload URL.</summary>
    public required string Id { get; init; }

    public string Urn => "urn:li:image:" + Id;

    /// <summary>The member or page URN named as <c>owner</c>; only its member may upload, read or post it.</summary>
    public required string Owner { get; init; }

    public required DateTimeOffset UploadUrlExpiresAt { get; init; }

    /// <summary><c>WAITING_UPLOAD</c>, <c>PROCESSING</c>, <c>AVAILABLE</c> or <c>PROCESSING_FAILED</c>.</summary>
    public string Status { get; internal set; } = LinkedInImageState.WaitingUpload;

    /// <summary>The bytes of the last PUT (a later PUT replaces them); empty until then.</summary>
    public byte[] Bytes { get; internal set; } = [];

    /// <summary>The type sniffed from the bytes ("" when none of JPEG, PNG or GIF).</summary>
    public string MediaType { get; internal set; } = "";

    public int Width { get; internal set; }

    public int Height { get; internal set; }

    /// <summary>Why processing fails, decided when the bytes arrive; null when they are fine.</summary>
    public string? FailureReason { get; internal set; }

    /// <summary>How many more status reads see PROCESSING.</summary>
    internal int PollsLeft { get; set; }

    /// <summary>How many PUTs reached it.</summary>
    public int Puts { get; internal set; }
}

/// <summary>
/// The simulated LinkedIn's Images API (docs/platforms.md, LinkedIn, "Images"): initializeUpload for the caller's own
/// member (or a page, here the member's URN only), one single-shot PUT of the bytes (a later PUT replaces them), then
/// <c>WAITING_UPLOAD → PROCESSING → AVAILABLE</c>, or <c>PROCESSING_FAILED</c> when the bytes are not a JPEG, PNG or
/// GIF, have 36,152,320 pixels or more, or a GIF has over 250 frames. Images are private to their owner.
/// </summary>
public sealed class LinkedInImageState(SandboxState sandbox)
{
    internal const string WaitingUpload = "WAITING_UPLOAD";
    internal const string Processing = "PROCESSING";
    internal const string Available = "AVAILABLE";
    internal const string ProcessingFailed = "PROCESSING_FAILED";

    /// <summary>Pixels (width × height) must stay under this.</summary>
    public const long PixelLimit = 36_152_320;

    public const int GifFrameLimit = 250;

    /// <summary>LinkedIn names no file size; the sandbox refuses a PUT over 5,000,000 bytes, Herald's conservative reading.</summary>
    public const long ByteLimit = 5_000_000;

    /// <summary>The longest <c>altText</c> the sandbox takes (LinkedIn documents 4,086 for an alt text elsewhere; unconfirmed here).</summary>
    public const int AltTextLimit = 4_086;

    private static readonly string[] ImageTypes = ["image/jpeg", "image/png", "image/gif"];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedInImage> _images = new(StringComparer.Ordinal);

    /// <summary>Every image, in no particular order.</summary>
    public IReadOnlyList<LinkedInImage> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _images.Values];
            }
        }
    }

    /// <summary>initializeUpload: a new image waiting for its bytes, or the error to answer.</summary>
    internal (LinkedInImage? Image, int Status, object? Error) Initialize(LinkedInMember member, string? owner)
    {
        if (owner is null || !(owner.StartsWith("urn:li:person:", StringComparison.Ordinal) || owner.StartsWith("urn:li:organization:", StringComparison.Ordinal)))
        {
            return (null, 400, LinkedInState.BadRequest($"/initializeUploadRequest/owner :: \"{owner}\" is not a person or organization URN"));
        }

        if (owner != member.AuthorUrn)
        {
            return (null, 403, LinkedInState.AccessDenied($"Not enough permissions to access: images.INITIALIZE_UPLOAD as {owner}"));
        }

        lock (_lock)
        {
            var image = new LinkedInImage
            {
                Id = NewId(),
                Owner = owner,
                UploadUrlExpiresAt = sandbox.TimeProvider.GetUtcNow() + TimeSpan.FromHours(1),
            };
            _images[image.Id] = image;
            return (image, 200, null);
        }
    }

    /// <summary>The PUT to the upload URL: its status code (201) or the error to answer.</summary>
    internal (int Status, object? Error) Put(LinkedInMember? member, string id, byte[] bytes)
    {
        lock (_lock)
        {
            if (!_images.TryGetValue(id, out var image))
            {
                return (404, new { status = 404, code = "NOT_FOUND", message = "The upload URL is not known." });
            }

            if (member is null)
            {
                return (401, new { status = 401, serviceErrorCode = 65600, code = "INVALID_ACCESS_TOKEN", message = "Invalid access token" });
            }

            if (member.AuthorUrn != image.Owner)
            {
                return (403, LinkedInState.AccessDenied("Not enough permissions to access media resource"));
            }

            if (sandbox.TimeProvider.GetUtcNow() > image.UploadUrlExpiresAt)
            {
                return (400, LinkedInState.BadRequest("The upload URL has expired; initialize the upload again."));
            }

            if (bytes.Length == 0)
            {
                return (400, LinkedInState.BadRequest("The upload body is empty."));
            }

            if (bytes.LongLength > ByteLimit)
            {
                return (413, new { status = 413, code = "REQUEST_ENTITY_TOO_LARGE", message = string.Create(CultureInfo.InvariantCulture, $"The image is {bytes.LongLength:N0} bytes; at most {ByteLimit:N0} are taken.") });
            }

            var type = SandboxImageSniffer.TypeOf(bytes);
            var (width, height) = SandboxImageSniffer.SizeOf(bytes);
            image.Bytes = bytes;
            image.Puts++;
            image.MediaType = type is not null && ImageTypes.Contains(type) ? type : "";
            (image.Width, image.Height) = (width, height);
            image.FailureReason =
                image.MediaType.Length == 0 ? "not a JPG, PNG or GIF image"
                : (long)width * height >= PixelLimit ? string.Create(CultureInfo.InvariantCulture, $"{width}×{height} is {(long)width * height:N0} pixels; fewer than {PixelLimit:N0} are taken")
                : type == "image/gif" && GifFrames(bytes) > GifFrameLimit ? $"a GIF of more than {GifFrameLimit} frames"
                : null;
            image.Status = Processing;
            image.PollsLeft = sandbox.Options.LinkedIn.ImageProcessingPolls;
            return (201, null);
        }
    }

    /// <summary>
    /// <c>GET /rest/images/{urn}</c> by its owner: each read while processing counts down
    /// <see cref="LinkedInSandboxOptions.ImageProcessingPolls"/>, then processing ends.
    /// </summary>
    internal (LinkedInImage? Image, int Status, object? Error) Read(LinkedInMember member, string urn)
    {
        lock (_lock)
        {
            if (Find(urn) is not { } image)
            {
                return (null, 404, new { status = 404, code = "NOT_FOUND", message = $"Image {urn} does not exist" });
            }

            if (image.Owner != member.AuthorUrn)
            {
                return (null, 403, LinkedInState.AccessDenied("Not enough permissions to access media resource"));
            }

            if (image.Status == Processing && image.PollsLeft-- <= 0)
            {
                image.Status = image.FailureReason is null ? Available : ProcessingFailed;
            }

            return (image, 200, null);
        }
    }

    /// <summary>The images a post names, checked as the Posts API does; or the status and error to answer.</summary>
    internal (IReadOnlyList<LinkedInImage>? Images, int Status, object? Error) ForPost(string author, IReadOnlyList<string> urns)
    {
        lock (_lock)
        {
            var found = new List<LinkedInImage>(urns.Count);
            foreach (var urn in urns)
            {
                if (Find(urn) is not { } image)
                {
                    return (null, 400, LinkedInState.BadRequest($"/content :: image {urn} does not exist"));
                }

                if (image.Owner != author)
                {
                    return (null, 403, LinkedInState.AccessDenied($"Not enough permissions to access media resource {urn}: images must be owned by the author"));
                }

                if (image.Status != Available)
                {
                    return (null, 400, LinkedInState.BadRequest($"/content :: image {urn} is not AVAILABLE (status {image.Status})"));
                }

                found.Add(image);
            }

            return (found, 201, null);
        }
    }

    internal LinkedInImage? FindById(string id)
    {
        lock (_lock)
        {
            return _images.GetValueOrDefault(id);
        }
    }

    /// <summary>The JSON of <c>GET /rest/images/{urn}</c>.</summary>
    internal static object Json(LinkedInImage image, string origin) => image.Status == Available
        ? new { id = image.Urn, owner = image.Owner, status = image.Status, downloadUrl = $"{origin}/linkedin/media/{image.Id}", downloadUrlExpiresAt = image.UploadUrlExpiresAt.AddDays(1).ToUnixTimeMilliseconds() }
        : new { id = image.Urn, owner = image.Owner, status = image.Status, downloadUrl = (string?)null, downloadUrlExpiresAt = (long?)null };

    private LinkedInImage? Find(string urn) =>
        urn.StartsWith("urn:li:image:", StringComparison.Ordinal) ? _images.GetValueOrDefault(urn["urn:li:image:".Length..]) : null;

    /// <summary>Frames of a GIF, counted by their image descriptors after a graphic control extension.</summary>
    private static int GifFrames(byte[] bytes)
    {
        var frames = 0;
        for (var i = 0; i + 2 < bytes.Length; i++)
        {
            if (bytes[i] == 0x21 && bytes[i + 1] == 0xF9 && bytes[i + 2] == 0x04)
            {
                frames++;
            }
        }

        return Math.Max(1, frames);
    }

    /// <summary>LinkedIn-like image ids: <c>D4E10AQ</c> and 15 letters or digits.</summary>
    private string NewId()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var id = new StringBuilder("D4E10AQ");
        for (var i = 0; i < 15; i++)
        {
            id.Append(alphabet[sandbox.NextRandom(0, alphabet.Length)]);
        }

        return id.ToString();
    }
}
