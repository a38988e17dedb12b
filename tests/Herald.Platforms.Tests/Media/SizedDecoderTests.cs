using Herald.Platforms.Media;
using SkiaSharp;

namespace Herald.Platforms.Tests.Media;

public sealed class SizedDecoderTests
{
    /// <summary>
    /// A JPEG asked for at 70% is decoded by libjpeg-turbo at 6/8 a band of rows at a time; the result must be the
    /// bitmap that decoding it whole at 6/8, turning it upright and resampling it gives, whatever its EXIF orientation:
    /// no seam between bands. Turned images may differ by one step in a channel, as the bands turn and resample in one
    /// draw where the whole bitmap is turned first.
    /// </summary>
    [Theory]
    [InlineData((ushort)1)]
    [InlineData((ushort)2)]
    [InlineData((ushort)3)]
    [InlineData((ushort)4)]
    [InlineData((ushort)5)]
    [InlineData((ushort)6)]
    [InlineData((ushort)7)]
    [InlineData((ushort)8)]
    public void At_ASmallerSize_GivesWhatTheWholeDecodedBitmapGives(ushort orientation)
    {
        var jpeg = TestImages.WithExif(TestImages.Noise(1200, 900), orientation);
        using var codec = SKCodec.Create(new MemoryStream(jpeg));
        using var decoder = new SizedDecoder(codec);
        var (width, height) = ((int)(decoder.Size.Width * 0.7), (int)(decoder.Size.Height * 0.7));

        using var sized = decoder.At(width, height);

        using var again = SKCodec.Create(new MemoryStream(jpeg));
        var sixEighths = again.GetScaledDimensions(0.75f);
        Assert.Equal(new SKSizeI(900, 675), sixEighths);
        using var whole = SkiaImages.DecodeUpright(again, sixEighths);
        using var expected = whole.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, whole.AlphaType), new SKSamplingOptions(SKCubicResampler.Mitchell));
        Assert.Equal((width, height), (sized.Bitmap.Width, sized.Bitmap.Height));
        Assert.True(sized.Owned);
        Assert.InRange(MostDifferentChannel(expected, sized.Bitmap), 0, orientation == 1 ? 0 : 1);
    }

    [Fact]
    public void At_TheFullSize_DecodesOnlyOnce_ForAFormatTheCodecCannotShrink()
    {
        using var codec = SKCodec.Create(new MemoryStream(TestImages.Noise(300, 200, SKEncodedImageFormat.Png)));
        using var decoder = new SizedDecoder(codec);

        using var full = decoder.At(300, 200);
        using var smaller = decoder.At(150, 100);
        using var fullAgain = decoder.At(300, 200);

        Assert.False(full.Owned); // the decoder keeps it for the next size
        Assert.Same(full.Bitmap, fullAgain.Bitmap);
        Assert.True(smaller.Owned);
        Assert.Equal((150, 100), (smaller.Bitmap.Width, smaller.Bitmap.Height));
    }

    [Fact]
    public void At_ASizeTheCodecDecodesToExactly_IsNotResampled()
    {
        var jpeg = TestImages.Noise(800, 600);
        using var codec = SKCodec.Create(new MemoryStream(jpeg));
        using var decoder = new SizedDecoder(codec);

        using var half = decoder.At(400, 300);

        using var again = SKCodec.Create(new MemoryStream(jpeg));
        using var expected = SkiaImages.DecodeUpright(again, new SKSizeI(400, 300));
        Assert.Equal(0, MostDifferentChannel(expected, half.Bitmap));
    }

    [Fact]
    public void At_ASmallerSizeOfACutOffJpeg_LeavesTheMissingRowsTransparent()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(800, 800, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(0, 0, 255));
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Jpeg, 100);
        using var codec = SKCodec.Create(new MemoryStream(encoded.ToArray()[..(int)(encoded.Size * 6 / 10)]));
        using var decoder = new SizedDecoder(codec);

        using var sized = decoder.At(500, 500);

        Assert.Equal(SKAlphaType.Premul, sized.Bitmap.AlphaType);
        Assert.True(sized.Bitmap.GetPixel(250, 10) is { Blue: > 220, Alpha: 255 }, $"the rows it has became {sized.Bitmap.GetPixel(250, 10)}");
        Assert.Equal(0, sized.Bitmap.GetPixel(250, 490).Alpha);
    }

    /// <summary>
    /// A WebP is decoded whole once and kept, like a PNG, never by libwebp's own scaling, which a review found giving
    /// colour values above their alpha along the transparent edge of a lossy WebP.
    /// </summary>
    [Fact]
    public void At_ALossyWebpWithTransparency_DecodedWholeOnce_AndItsSmallerSizeIsValidPremultiplied()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(801, 601, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var source = bitmap.GetPixelSpan();
        for (var i = 0; i < source.Length; i += 4)
        {
            var left = i / 4 % 801 < 400;
            (source[i], source[i + 1], source[i + 2], source[i + 3]) = left ? ((byte)0, (byte)255, (byte)0, (byte)0) : ((byte)255, (byte)0, (byte)0, (byte)255);
        }

        using var encoded = bitmap.Encode(SKEncodedImageFormat.Webp, 80);
        using var codec = SKCodec.Create(new MemoryStream(encoded.ToArray()));
        using var decoder = new SizedDecoder(codec);

        using var full = decoder.At(801, 601);
        using var sized = decoder.At(89, 67);

        Assert.False(full.Owned); // the whole decoding, kept for every size
        var pixels = sized.Bitmap.GetPixelSpan();
        var invalid = 0;
        for (var i = 0; i < pixels.Length; i += 4)
        {
            var alpha = pixels[i + 3];
            invalid += pixels[i] > alpha || pixels[i + 1] > alpha || pixels[i + 2] > alpha ? 1 : 0;
        }

        Assert.Equal(SKAlphaType.Premul, sized.Bitmap.AlphaType);
        Assert.Equal(0, invalid);
    }

    private static int MostDifferentChannel(SKBitmap expected, SKBitmap actual)
    {
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        var a = expected.GetPixelSpan();
        var b = actual.GetPixelSpan();
        var most = 0;
        for (var i = 0; i < a.Length; i++)
        {
            most = Math.Max(most, Math.Abs(a[i] - b[i]));
        }

        return most;
    }
}
