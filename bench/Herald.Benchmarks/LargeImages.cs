using System.Runtime.InteropServices;
using SkiaSharp;

namespace Herald.Benchmarks;

/// <summary>
/// The images of the worker-memory run (bench/images/memory.sh): four 20 MB PNGs of noise (2580×2580: few pixels,
/// many bytes) and four 20 MB JPEG photos of 24 megapixels (6000×4000: many pixels), each with a post that attaches
/// the four. Seeded, so every run writes the same files.
/// </summary>
internal static class LargeImages
{
    public static void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        for (var n = 0; n < 4; n++)
        {
            Save(Path.Combine(directory, $"noise{n}.png"), 2580, 2580, Noise(2580, 2580, n), SKEncodedImageFormat.Png, 100);
            Save(Path.Combine(directory, $"photo{n}.jpg"), 6000, 4000, Photo(6000, 4000, n), SKEncodedImageFormat.Jpeg, 97);
        }

        Post(directory, "noise-post.md", "noise{0}.png", "Noise");
        Post(directory, "photo-post.md", "photo{0}.jpg", "Photo");
    }

    private static void Post(string directory, string name, string file, string alt)
    {
        var images = string.Concat(Enumerable.Range(0, 4).Select(n => $"  - src: ./{string.Format(null, file, n)}\n    alt: \"{alt} {n + 1}\"\n"));
        File.WriteAllText(Path.Combine(directory, name), $"---\ntype: post\nimages:\n{images}---\nFour large images, fitted by Herald for each platform. #Herald\n");
    }

    private static byte[] Noise(int width, int height, int seed)
    {
        var pixels = new byte[width * height * 4];
        new Random(seed).NextBytes(pixels);
        for (var i = 3; i < pixels.Length; i += 4)
        {
            pixels[i] = 255;
        }

        return pixels;
    }

    /// <summary>Gradients, a wave and grain: compresses like a photo, not like noise or a flat colour.</summary>
    private static byte[] Photo(int width, int height, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 4;
                pixels[i] = Grain(x * 255 / width, random);
                pixels[i + 1] = Grain(y * 255 / height, random);
                pixels[i + 2] = Grain(128 + (int)(60 * Math.Sin((x / 50.0) + seed)), random);
                pixels[i + 3] = 255;
            }
        }

        return pixels;
    }

    private static byte Grain(int value, Random random) => (byte)Math.Clamp(value + random.Next(-40, 41), 0, 255);

    private static void Save(string path, int width, int height, byte[] pixels, SKEncodedImageFormat format, int quality)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var file = File.Create(path);
        if (!bitmap.Encode(file, format, quality))
        {
            throw new InvalidOperationException($"Could not write {path}.");
        }

        Console.WriteLine($"{path}: {new FileInfo(path).Length:N0} bytes, {info.Width}×{info.Height}");
    }
}
