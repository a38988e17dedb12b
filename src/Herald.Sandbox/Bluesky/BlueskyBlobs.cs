using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.Bluesky;

/// <summary>A blob the simulated PDS holds.</summary>
public sealed record BlueskyBlob
{
    public required string Did { get; init; }

    /// <summary>A CIDv1 (raw, sha2-256, base32: <c>bafkrei…</c>) of the bytes.</summary>
    public required string Cid { get; init; }

    public required string MimeType { get; init; }

    public required byte[] Bytes { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    public required DateTimeOffset UploadedAt { get; init; }

    /// <summary>Referenced by a record: no longer deleted after the window.</summary>
    public bool Permanent { get; set; }
}

/// <summary>
/// The PDS's blobs (docs/platforms.md, Bluesky, "Images"): <c>uploadBlob</c> takes at most 5 MiB (a self-hosted PDS's
/// default) and sniffs the type from the bytes; a blob no record references within
/// <see cref="BlueskySandboxOptions.UnreferencedBlobLifetime"/> is gone; a post's <c>app.bsky.embed.images</c> is checked
/// as the lexicon says (at most 4 images, each with <c>alt</c>, a blob of this repository whose type and size match,
/// at most 2,000,000 bytes).
/// </summary>
public sealed class BlueskyBlobs(SandboxState sandbox)
{
    public const long UploadLimit = 5L * 1024 * 1024;
    public const long ImageMaxSize = 2_000_000;
    public const string ImagesEmbed = "app.bsky.embed.images";

    private readonly object _lock = new();
    private readonly List<BlueskyBlob> _blobs = [];

    /// <summary>Every upload, oldest first.</summary>
    public IReadOnlyList<BlueskyBlob> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _blobs];
            }
        }
    }

    internal (BlueskyBlob? Blob, int Status, string? Error, string? Message) Upload(BlueskyAccount account, byte[] bytes, string? declaredType)
    {
        if (bytes.LongLength > UploadLimit)
        {
            return (null, 413, "PayloadTooLarge", "request entity too large");
        }

        var (width, height) = SandboxImageSniffer.SizeOf(bytes);
        var blob = new BlueskyBlob
        {
            Did = account.Did,
            Cid = CidOf(bytes),
            // Sniffed; the declared type only when the bytes say nothing.
            MimeType = SandboxImageSniffer.TypeOf(bytes) ?? (string.IsNullOrEmpty(declaredType) || declaredType == "*/*" ? "application/octet-stream" : declaredType),
            Bytes = bytes,
            Width = width,
            Height = height,
            UploadedAt = sandbox.TimeProvider.GetUtcNow(),
        };
        lock (_lock)
        {
            var existing = _blobs.FirstOrDefault(b => b.Did == blob.Did && b.Cid == blob.Cid && Alive(b));
            if (existing is null)
            {
                _blobs.Add(blob);
            }

            return (existing ?? blob, 200, null, null);
        }
    }

    internal BlueskyBlob? Find(string did, string cid)
    {
        lock (_lock)
        {
            return _blobs.FirstOrDefault(b => b.Did == did && b.Cid == cid && Alive(b));
        }
    }

    /// <summary>The blob store's checks of a post's images embed; null when they pass (or there is no images embed).</summary>
    internal (string Error, string Message)? Check(BlueskyAccount account, JsonElement record)
    {
        if (!record.TryGetProperty("embed", out var embed))
        {
            return null;
        }

        // The record's shape, every embed type included, was checked before (BlueskyRecordShapes); the blob store
        // only holds images, so it judges images embeds: their blobs must be this account's uploads.
        if (embed.ValueKind != JsonValueKind.Object || !embed.TryGetProperty("$type", out var type) || type.GetString() != ImagesEmbed)
        {
            return null;
        }

        if (!embed.TryGetProperty("images", out var images) || images.ValueKind != JsonValueKind.Array)
        {
            return ("InvalidRequest", "Invalid app.bsky.feed.post record: Expected array at $.record.embed.images");
        }

        if (images.GetArrayLength() > 4)
        {
            return ("InvalidRequest", string.Create(CultureInfo.InvariantCulture,
                $"Invalid app.bsky.feed.post record: array too big (maximum 4, got {images.GetArrayLength()}) at $.record.embed.images"));
        }

        var index = 0;
        foreach (var image in images.EnumerateArray())
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"$.record.embed.images[{index++}]");
            if (!image.TryGetProperty("alt", out var alt) || alt.ValueKind != JsonValueKind.String)
            {
                return ("InvalidRequest", $"Invalid app.bsky.feed.post record: Required property \"alt\" at {path}");
            }

            if (!image.TryGetProperty("image", out var reference) || !reference.TryGetProperty("ref", out var link) ||
                !link.TryGetProperty("$link", out var cid) || !reference.TryGetProperty("mimeType", out var mime) || !reference.TryGetProperty("size", out var size))
            {
                return ("InvalidRequest", $"Invalid app.bsky.feed.post record: Expected blob at {path}.image");
            }

            if (size.GetInt64() > ImageMaxSize)
            {
                return ("InvalidRequest", string.Create(CultureInfo.InvariantCulture,
                    $"Invalid app.bsky.feed.post record: blob too big (maximum {ImageMaxSize}, got {size.GetInt64()}) at {path}.image"));
            }

            if (image.TryGetProperty("aspectRatio", out var ratio) &&
                (!ratio.TryGetProperty("width", out var w) || w.GetInt32() < 1 || !ratio.TryGetProperty("height", out var h) || h.GetInt32() < 1))
            {
                return ("InvalidRequest", $"Invalid app.bsky.feed.post record: aspectRatio must have a width and a height of at least 1 at {path}.aspectRatio");
            }

            var blob = Find(account.Did, cid.GetString() ?? "");
            if (blob is null)
            {
                return ("BlobNotFound", $"Could not find blob: {cid.GetString()}");
            }

            if (blob.MimeType != mime.GetString())
            {
                return ("InvalidMimeType", $"Referenced Mimetype does not match stored blob. Expected: {blob.MimeType}, Got: {mime.GetString()}");
            }

            if (blob.Bytes.LongLength != size.GetInt64())
            {
                return ("InvalidSize", $"Referenced Size does not match stored blob. Expected: {blob.Bytes.LongLength}, Got: {size.GetInt64()}");
            }

            if (!blob.MimeType.StartsWith("image/", StringComparison.Ordinal))
            {
                return ("InvalidRequest", $"Invalid app.bsky.feed.post record: Expected image/* (got {blob.MimeType}) at {path}.image");
            }
        }

        return null;
    }

    /// <summary>A valid create makes its blobs permanent.</summary>
    internal void Keep(BlueskyAccount account, JsonElement record)
    {
        lock (_lock)
        {
            foreach (var image in ImagesOf(record))
            {
                if (_blobs.FirstOrDefault(b => b.Did == account.Did && b.Cid == image.Cid) is { } blob)
                {
                    blob.Permanent = true;
                }
            }
        }
    }

    /// <summary>The images of a stored record, as the sandbox pages show them.</summary>
    internal IReadOnlyList<SandboxImage> Images(string did, string recordJson)
    {
        using var document = JsonDocument.Parse(recordJson);
        return [.. ImagesOf(document.RootElement).Select(i =>
        {
            var blob = Find(did, i.Cid);
            return new SandboxImage(i.Alt, blob?.MimeType ?? "", blob?.Bytes.LongLength ?? 0, blob?.Width ?? 0, blob?.Height ?? 0,
                $"/bluesky/xrpc/com.atproto.sync.getBlob?did={Uri.EscapeDataString(did)}&cid={i.Cid}");
        })];
    }

    private static List<(string Cid, string Alt)> ImagesOf(JsonElement record)
    {
        var found = new List<(string, string)>();
        if (record.TryGetProperty("embed", out var embed) && embed.ValueKind == JsonValueKind.Object && embed.TryGetProperty("images", out var images) &&
            images.ValueKind == JsonValueKind.Array)
        {
            foreach (var image in images.EnumerateArray())
            {
                if (image.TryGetProperty("image", out var blob) && blob.TryGetProperty("ref", out var link) && link.TryGetProperty("$link", out var cid))
                {
                    found.Add((cid.GetString() ?? "", image.TryGetProperty("alt", out var alt) ? alt.GetString() ?? "" : ""));
                }
            }
        }

        return found;
    }

    private bool Alive(BlueskyBlob blob) =>
        blob.Permanent || sandbox.TimeProvider.GetUtcNow() - blob.UploadedAt < sandbox.Options.Bluesky.UnreferencedBlobLifetime;

    /// <summary>A CIDv1 of the raw bytes (codec 0x55), as a PDS names a blob.</summary>
    private static string CidOf(byte[] bytes) => BlueskyState.CidV1(0x55, SHA256.HashData(bytes));
}
