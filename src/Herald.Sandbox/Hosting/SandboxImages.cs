using System.Buffers.Binary;

namespace Herald.Sandbox.Hosting;

/// <summary>An image attached to a sandbox post, as the pages and <c>/_sandbox/posts</c> show it.</summary>
/// <param name="Alt">Its alt text as the platform stored it ("" for none).</param>
/// <param name="MediaType">The type the platform found in the bytes.</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="Width">Its width in pixels, as read from the file header (0 when unknown).</param>
/// <param name="Height">Its height in pixels.</param>
/// <param name="Path">Where the sandbox serves its bytes, such as <c>/mastodon/system/media/123</c>.</param>
public sealed record SandboxImage(string Alt, string MediaType, long Length, int Width, int Height, string Path);

/// <summary>
/// What the simulated platforms read in uploaded bytes, as the real ones sniff them: the type from the magic numbers
/// (never the declared Content-Type or file name), and the dimensions from the PNG, GIF, WebP or JPEG header.
/// </summary>
public static class SandboxImageSniffer
{
    public static string? TypeOf(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : bytes.Length > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF ? "image/jpeg"
        : bytes.StartsWith("GIF8"u8) ? "image/gif"
        : bytes.Length > 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8) ? "image/webp"
        : bytes.Length > 12 && bytes[4..8].SequenceEqual("ftyp"u8) ? "video/mp4"
        : null;

    /// <summary>The stored (not EXIF-turned) width and height; (0, 0) when the header cannot be read.</summary>
    public static (int Width, int Height) SizeOf(ReadOnlySpan<byte> bytes)
    {
        switch (TypeOf(bytes))
        {
            case "image/png" when bytes.Length >= 24:
                return ((int)BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]), (int)BinaryPrimitives.ReadUInt32BigEndian(bytes[20..]));
            case "image/gif" when bytes.Length >= 10:
                return (BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]), BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]));
            case "image/jpeg":
                return JpegSize(bytes);
            default:
                return (0, 0);
        }
    }

    private static (int, int) JpegSize(ReadOnlySpan<byte> bytes)
    {
        var at = 2;
        while (at + 9 < bytes.Length && bytes[at] == 0xFF)
        {
            var marker = bytes[at + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 2)..]);
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 5)..]));
            }

            at += 2 + length;
        }

        return (0, 0);
    }
}
