using System.Text;
using Herald.Media;
using Herald.Platforms.Media;
using SkiaSharp;

namespace Herald.Platforms.Tests.Media;

public sealed class ImageFitterTests
{
    private static readonly string[] Common = ["image/jpeg", "image/png", "image/webp"];

    private static FittedImage Fit(byte[] bytes, ImageTarget target) => ImageFitter.Fit(new MemoryStream(bytes), target);

    [Fact]
    public void Fit_JpegOverTheByteLimit_StepsQualityDownBeforeTheSize()
    {
        var source = TestImages.Noise(600, 400);
        var target = new ImageTarget(MaxBytes: 160_000, MaxPixels: 10_000_000, MaxSide: 4000, Common);
        Assert.True(source.Length > target.MaxBytes);

        var fitted = Fit(source, target);

        Assert.True(fitted.Bytes.Length <= target.MaxBytes, $"{fitted.Bytes.Length} bytes");
        Assert.Equal("image/jpeg", fitted.MediaType);
        Assert.Equal("image/jpeg", MediaSniffer.Sniff(fitted.Bytes));
        Assert.Equal((600, 400), (fitted.Width, fitted.Height));
        Assert.DoesNotContain("quality 90", fitted.Fitting, StringComparison.Ordinal);
        Assert.DoesNotContain("resized", fitted.Fitting, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_TooManyBytesAtEveryQuality_ResizesKeepingTheAspectRatio()
    {
        var source = TestImages.Noise(900, 600);
        var fitted = Fit(source, new ImageTarget(MaxBytes: 60_000, MaxPixels: 10_000_000, MaxSide: 4000, Common));

        Assert.True(fitted.Bytes.Length <= 60_000);
        Assert.True(fitted.Width < 900);
        Assert.Equal(1.5, (double)fitted.Width / fitted.Height, 2);
        Assert.Contains("resized from 900×600", fitted.Fitting, StringComparison.Ordinal);
        using var decoded = SKBitmap.Decode(fitted.Bytes);
        Assert.Equal((fitted.Width, fitted.Height), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void Fit_OverThePixelAndSideLimits_ScaledDown()
    {
        var source = TestImages.Noise(1200, 300, SKEncodedImageFormat.Png);

        var fitted = Fit(source, new ImageTarget(MaxBytes: 50_000_000, MaxPixels: 10_000_000, MaxSide: 600, Common));

        Assert.Equal(("image/png", 600, 150), (fitted.MediaType, fitted.Width, fitted.Height));
    }

    [Fact]
    public void Fit_ExifWithOrientationAndGps_AppliedThenRemoved()
    {
        var source = TestImages.WithExif(TestImages.Noise(200, 100, quality: 80), orientation: 6);
        Assert.Contains("GPS 51.5007N", Encoding.Latin1.GetString(source), StringComparison.Ordinal);

        var fitted = Fit(source, new ImageTarget(MaxBytes: 5_000_000, MaxPixels: 10_000_000, MaxSide: 4000, Common));

        Assert.Equal((100, 200), (fitted.Width, fitted.Height));
        var text = Encoding.Latin1.GetString(fitted.Bytes);
        Assert.DoesNotContain("GPS 51.5007N", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exif", text, StringComparison.Ordinal);
        Assert.Contains("metadata removed", fitted.Fitting, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SKAlphaType.Premul)] // with transparency: drawn on white before it becomes a JPEG
    [InlineData(SKAlphaType.Opaque)] // without: encoded as it is
    public void Fit_PngOverTheLimit_BecomesJpegWithItsColoursAndTransparencyOnWhite(SKAlphaType alpha)
    {
        var source = HalfClearHalfBlueOverNoise(200, 100, alpha);
        var target = new ImageTarget(MaxBytes: source.Length - 1, MaxPixels: 10_000_000, MaxSide: 4000, ["image/jpeg", "image/png"]);

        var fitted = Fit(source, target);

        Assert.Equal(("image/jpeg", 200, 100), (fitted.MediaType, fitted.Width, fitted.Height));
        using var decoded = SKBitmap.Decode(fitted.Bytes);
        var left = decoded.GetPixel(40, 75);
        var right = decoded.GetPixel(160, 75);
        if (alpha == SKAlphaType.Premul)
        {
            Assert.True(left is { Red: > 235, Green: > 235, Blue: > 235 }, $"transparent became {left}, not white");
        }
        else
        {
            Assert.True(left is { Red: < 20, Green: < 20, Blue: < 20 }, $"black became {left}");
        }

        Assert.True(right is { Red: < 30, Green: < 30, Blue: > 220 }, $"blue became {right}");
    }

    [Fact]
    public void Fit_CutOffJpeg_KeepsWhatItHasAndTheMissingRowsComeOutWhiteNotBlack()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(256, 256, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(0, 0, 255));
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Jpeg, 100);
        var cutOff = encoded.ToArray()[..(int)(encoded.Size * 6 / 10)];

        var fitted = Fit(cutOff, new ImageTarget(MaxBytes: 5_000_000, MaxPixels: 10_000_000, MaxSide: 4000, Common));

        using var decoded = SKBitmap.Decode(fitted.Bytes);
        var top = decoded.GetPixel(128, 5);
        var bottom = decoded.GetPixel(128, 250);
        Assert.True(top is { Red: < 30, Green: < 30, Blue: > 220 }, $"the rows it has became {top}, not blue");
        Assert.True(bottom is { Red: > 235, Green: > 235, Blue: > 235 }, $"the missing rows became {bottom}, not white");
    }

    /// <summary>
    /// A PNG whose top half is noise (so it is larger than its JPEG) and whose bottom half is clear (black, when
    /// <paramref name="alpha"/> is opaque) on the left and blue on the right.
    /// </summary>
    private static byte[] HalfClearHalfBlueOverNoise(int width, int height, SKAlphaType alpha)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, alpha));
        bitmap.Erase(SKColors.Transparent);
        var random = new Random(7);
        for (var y = 0; y < height / 2; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            }
        }

        for (var y = height / 2; y < height; y++)
        {
            for (var x = width / 2; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor(0, 0, 255));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    [Fact]
    public void Fit_SameInput_SameBytes()
    {
        var source = TestImages.Noise(300, 200);
        var target = new ImageTarget(100_000, 10_000_000, 4000, Common);

        Assert.Equal(Fit(source, target).Sha256, Fit(source, target).Sha256);
    }

    [Fact]
    public void Inspector_ReadsFormatAndDisplayedSize_AndRefusesAnimation()
    {
        var inspector = new SkiaImageInspector();

        var png = inspector.Inspect(new MemoryStream(TestImages.Noise(30, 20, SKEncodedImageFormat.Png)));
        Assert.Equal(("image/png", 30, 20, (string?)null), (png.MediaType, png.Width, png.Height, png.Refusal));

        var turned = inspector.Inspect(new MemoryStream(TestImages.WithExif(TestImages.Noise(30, 20), orientation: 6)));
        Assert.Equal((20, 30), (turned.Width, turned.Height));

        Assert.Null(inspector.Inspect(new MemoryStream(TestImages.Gif(1))).Refusal);
        var animated = inspector.Inspect(new MemoryStream(TestImages.Gif(2)));
        Assert.Contains("animated GIF (2 frames)", animated.Refusal, StringComparison.Ordinal);
    }
}

public sealed class MediaSnifferTests
{
    [Fact]
    public void Sniff_NamesFormatsByTheirMagicNumbers()
    {
        Assert.Equal("image/png", MediaSniffer.Sniff(TestImages.Noise(4, 4, SKEncodedImageFormat.Png)));
        Assert.Equal("image/jpeg", MediaSniffer.Sniff(TestImages.Noise(4, 4)));
        Assert.Equal("image/webp", MediaSniffer.Sniff(TestImages.Noise(4, 4, SKEncodedImageFormat.Webp)));
        Assert.Equal("image/gif", MediaSniffer.Sniff(TestImages.Gif(1)));
        Assert.Equal("video/mp4", MediaSniffer.Sniff([0, 0, 0, 0x18, .. "ftypmp42"u8.ToArray(), 0, 0, 0, 0]));
        Assert.Null(MediaSniffer.Sniff("not an image"u8));
    }
}
