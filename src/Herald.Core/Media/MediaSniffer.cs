namespace Herald.Media;

/// <summary>
/// Names what bytes are from their first bytes (their magic numbers), never from a file name or a Content-Type:
/// the formats Herald posts, and the video and other formats it refuses with a clear reason.
/// </summary>
public static class MediaSniffer
{
    /// <summary>How many leading bytes <see cref="Sniff"/> reads.</summary>
    public const int HeaderLength = 32;

    /// <summary>The media type of the bytes starting with <paramref name="header"/>, or null when Herald does not recognise them.</summary>
    public static string? Sniff(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (header.StartsWith("GIF87a"u8) || header.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        if (header.Length >= 12 && header.StartsWith("RIFF"u8) && header[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        if (header.Length >= 12 && header[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = header[8..12];
            return brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8) ? "image/heic"
                : brand.SequenceEqual("avif"u8) ? "image/avif"
                : brand.SequenceEqual("qt  "u8) ? "video/quicktime"
                : "video/mp4";
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            return "video/webm";
        }

        if (header.StartsWith("BM"u8))
        {
            return "image/bmp";
        }

        return header.StartsWith("II*\0"u8) || header.StartsWith("MM\0*"u8) ? "image/tiff" : null;
    }
}
