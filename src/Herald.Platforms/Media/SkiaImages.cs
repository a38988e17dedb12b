using SkiaSharp;

namespace Herald.Platforms.Media;

/// <summary>What the image code shares: format names and the EXIF orientation.</summary>
internal static class SkiaImages
{
    public static string? MediaType(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Png => "image/png",
        SKEncodedImageFormat.Jpeg => "image/jpeg",
        SKEncodedImageFormat.Gif => "image/gif",
        SKEncodedImageFormat.Webp => "image/webp",
        _ => null,
    };

    /// <summary>True when the EXIF orientation turns the image a quarter, so width and height swap when displayed.</summary>
    private static bool SwapsSides(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    public static (int Width, int Height) Displayed(SKCodec codec) => Upright(codec.EncodedOrigin, codec.Info.Size);

    /// <summary>The width and height an image stored at <paramref name="stored"/> with <paramref name="origin"/> has upright.</summary>
    public static (int Width, int Height) Upright(SKEncodedOrigin origin, SKSizeI stored) =>
        SwapsSides(origin) ? (stored.Height, stored.Width) : (stored.Width, stored.Height);

    /// <summary>How a decoded image's pixels are kept: opaque when the image has no transparency, else premultiplied.</summary>
    public static SKAlphaType DecodedAlpha(SKCodec codec) =>
        codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;

    /// <summary>
    /// The image decoded at <paramref name="size"/> (a size <paramref name="codec"/> decodes to, in its stored
    /// orientation; its full size when null) and turned upright as its EXIF orientation says, so dropping the metadata
    /// does not turn it. An image without transparency (a JPEG, an RGB PNG) is marked opaque, so encoding it as JPEG
    /// needs no copy drawn on white. A cut-off file is decoded as far as it goes; its missing rows are left transparent
    /// (white in a JPEG), not black.
    /// </summary>
    public static SKBitmap DecodeUpright(SKCodec codec, SKSizeI? size = null) =>
        DecodeUpright(codec, size ?? codec.Info.Size, DecodedAlpha(codec));

    private static SKBitmap DecodeUpright(SKCodec codec, SKSizeI size, SKAlphaType alpha)
    {
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, alpha);
        var decoded = new SKBitmap(info);
        var result = codec.GetPixels(info, decoded.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            decoded.Dispose();
            throw new InvalidDataException($"The image could not be decoded: {result}.");
        }

        if (result == SKCodecResult.IncompleteInput && alpha == SKAlphaType.Opaque)
        {
            decoded.Dispose();
            return DecodeUpright(codec, size, SKAlphaType.Premul);
        }

        var origin = codec.EncodedOrigin;
        if (origin == SKEncodedOrigin.TopLeft)
        {
            return decoded;
        }

        using (decoded)
        {
            var (width, height) = Upright(origin, size);
            var upright = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, alpha));
            using var canvas = new SKCanvas(upright);
            canvas.SetMatrix(OriginMatrix(origin, info.Width, info.Height));
            canvas.DrawBitmap(decoded, 0, 0, SKSamplingOptions.Default);
            return upright;
        }
    }

    /// <summary>The transform that draws an image stored with <paramref name="origin"/> upright (the EXIF orientations 2 to 8).</summary>
    public static SKMatrix OriginMatrix(SKEncodedOrigin origin, int width, int height) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, width, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, width, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, height, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, height, -1, 0, width, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, width, 0, 0, 1),
        _ => SKMatrix.Identity,
    };
}
