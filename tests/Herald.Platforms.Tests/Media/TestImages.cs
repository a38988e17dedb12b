using SkiaSharp;

namespace Herald.Platforms.Tests.Media;

/// <summary>Images made for tests with SkiaSharp: noise (which compresses badly, so files are large), one colour, and hand-built GIFs. The CLI tests share this file.</summary>
internal static class TestImages
{
    /// <summary>A <paramref name="width"/>×<paramref name="height"/> image of seeded noise, encoded as <paramref name="format"/>.</summary>
    public static byte[] Noise(int width, int height, SKEncodedImageFormat format = SKEncodedImageFormat.Jpeg, int quality = 95, int seed = 1)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var pixels = new byte[width * height * 4];
        random.NextBytes(pixels);
        for (var i = 3; i < pixels.Length; i += 4)
        {
            pixels[i] = 255;
        }

        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }

    /// <summary>A <paramref name="width"/>×<paramref name="height"/> PNG of one colour (small, whatever its size).</summary>
    public static byte[] Solid(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(10, 160, 90));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A 1×1 GIF of <paramref name="frames"/> frames (more than one: an animated GIF).</summary>
    public static byte[] Gif(int frames)
    {
        byte[] header = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF];
        byte[] frame = [0x21, 0xF9, 0x04, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00];
        return [.. header, .. Enumerable.Repeat(frame, frames).SelectMany(f => f), 0x3B];
    }

    /// <summary>
    /// <paramref name="jpeg"/> with an EXIF segment after its start marker: the orientation tag (6 turns it a quarter
    /// clockwise) and a GPS-looking marker text, so tests can see whether metadata survives.
    /// </summary>
    public static byte[] WithExif(byte[] jpeg, ushort orientation)
    {
        byte[] tiff =
        [
            0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, // little-endian TIFF, first IFD at 8
            0x01, 0x00, // one entry
            0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, (byte)orientation, 0x00, 0x00, 0x00, // Orientation, SHORT, 1
            0x00, 0x00, 0x00, 0x00, // no next IFD
            .. "GPS 51.5007N 0.1246W"u8.ToArray(),
        ];
        byte[] app1Body = [.. "Exif\0\0"u8.ToArray(), .. tiff];
        var length = app1Body.Length + 2;
        byte[] app1 = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. app1Body];
        return [jpeg[0], jpeg[1], .. app1, .. jpeg[2..]];
    }
}
