using SkiaSharp;

namespace Herald.IntegrationTests;

/// <summary>Small real images for tests, encoded by SkiaSharp.</summary>
internal static class TestImages
{
    /// <summary>A PNG of one flat colour.</summary>
    public static byte[] Png(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(200, 120, 40));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
