using SkiaSharp;

namespace Herald.Platforms.Media;

/// <summary>
/// Gives <see cref="ImageFitter"/> the image at each size it tries, upright, for as little memory as the format allows.
/// A JPEG is decoded smaller by libjpeg-turbo, which decodes at 1/8 to 8/8 of the full size: at the smallest such size
/// that is not smaller than asked, a band of rows at a time, each band resampled into the bitmap of the exact size; so a
/// 24-megapixel photo fitted to 4,096 pixels a side holds its fitted bitmap and one band, never its 96 MB full-size
/// bitmap. Each size asked for is decoded again from the file (the stored image is a seekable file). Any other format
/// (PNG, GIF, WebP) is decoded whole once and kept, and every size is resampled from it: Skia decodes PNG and GIF only
/// at full size, and its smaller WebP decoding gives invalid premultiplied edges where a lossy WebP is transparent.
/// </summary>
internal sealed class SizedDecoder(SKCodec codec) : IDisposable
{
    private const int Eighths = 8;

    /// <summary>Rows each band adds.</summary>
    private const int BandRows = 256;

    /// <summary>
    /// Rows a band keeps from the one before and reads past its own, for the resampling filter: Skia's cubic sampling
    /// reads a 4×4 block of source pixels around each point, two rows either side, however much the image shrinks (it
    /// takes no mipmaps). Sampling that averaged more rows (mipmaps, an area filter) would need more context.
    /// </summary>
    private const int Context = 4;

    private static readonly SKSamplingOptions Mitchell = new(SKCubicResampler.Mitchell);

    private readonly bool _decodesSmaller = codec.EncodedFormat == SKEncodedImageFormat.Jpeg && codec.GetScaledDimensions(0.5f) != codec.Info.Size;
    private SKBitmap? _full;

    /// <summary>The image's size as displayed (after its EXIF orientation).</summary>
    public (int Width, int Height) Size { get; } = SkiaImages.Displayed(codec);

    /// <summary>The image, upright, at <paramref name="width"/> × <paramref name="height"/> (at most its displayed size).</summary>
    public Sized At(int width, int height)
    {
        if (!_decodesSmaller)
        {
            _full ??= SkiaImages.DecodeUpright(codec);
            return (width, height) == Size ? new Sized(_full, Owned: false) : new Sized(Resize(_full, width, height), Owned: true);
        }

        var stored = StoredSizeAtLeast(width, height);
        if (SkiaImages.Upright(codec.EncodedOrigin, stored) == (width, height))
        {
            return new Sized(SkiaImages.DecodeUpright(codec, stored), Owned: true);
        }

        if (ResizeInBands(stored, width, height) is { } banded)
        {
            return new Sized(banded, Owned: true);
        }

        using var decoded = SkiaImages.DecodeUpright(codec, stored);
        return new Sized(Resize(decoded, width, height), Owned: true);
    }

    public void Dispose() => _full?.Dispose();

    /// <summary>The smallest size the codec decodes to (in the stored orientation) that covers the size asked for.</summary>
    private SKSizeI StoredSizeAtLeast(int width, int height)
    {
        for (var eighths = 1; eighths < Eighths; eighths++)
        {
            var size = codec.GetScaledDimensions(eighths / (float)Eighths);
            var upright = SkiaImages.Upright(codec.EncodedOrigin, size);
            if (upright.Width >= width && upright.Height >= height)
            {
                return size;
            }
        }

        return codec.Info.Size;
    }

    /// <summary>
    /// The image decoded at <paramref name="stored"/> a band of rows at a time and drawn, upright and resampled, into a
    /// bitmap of <paramref name="width"/> × <paramref name="height"/>. Each band draws only the rows whose filter reads
    /// lie inside it, so there is no seam: the result is the one the whole decoded bitmap gives (to one step in a
    /// channel for a turned image, which is turned and resampled in one draw here, in two there). Null when the codec
    /// cannot decode rows top-down or the file ends early (the whole-bitmap decoding handles a cut-off file).
    /// </summary>
    private SKBitmap? ResizeInBands(SKSizeI stored, int width, int height)
    {
        var alpha = SkiaImages.DecodedAlpha(codec);
        var rowInfo = new SKImageInfo(stored.Width, stored.Height, SKColorType.Rgba8888, alpha);
        if (codec.StartScanlineDecode(rowInfo) != SKCodecResult.Success || codec.ScanlineOrder != SKCodecScanlineOrder.TopDown)
        {
            return null;
        }

        var origin = codec.EncodedOrigin;
        var (uprightWidth, uprightHeight) = SkiaImages.Upright(origin, stored);
        var toTarget = SKMatrix.CreateScale((float)width / uprightWidth, (float)height / uprightHeight)
            .PreConcat(SkiaImages.OriginMatrix(origin, stored.Width, stored.Height));
        var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, alpha));
        using var band = new SKBitmap(new SKImageInfo(stored.Width, BandRows + 2 * Context, SKColorType.Rgba8888, alpha));
        using var canvas = new SKCanvas(target);
        using var copy = new SKPaint { BlendMode = SKBlendMode.Src }; // the band's pixels as they are, not blended onto the new bitmap's memory
        var rowBytes = band.RowBytes;
        var bandTop = 0; // the stored row the band's first row holds
        var rows = 0; // rows the band holds
        var drawnTo = 0; // the first stored row not drawn yet
        while (drawnTo < stored.Height)
        {
            var keep = Math.Min(rows, 2 * Context);
            if (keep > 0)
            {
                band.GetPixelSpan().Slice((rows - keep) * rowBytes, keep * rowBytes).CopyTo(band.GetPixelSpan());
            }

            bandTop += rows - keep;
            var wanted = Math.Min(band.Height - keep, stored.Height - (bandTop + keep));
            if (codec.GetScanlines(band.GetAddress(0, keep), wanted, rowBytes) != wanted)
            {
                target.Dispose();
                return null;
            }

            rows = keep + wanted;
            var last = bandTop + rows == stored.Height;
            var drawTo = last ? stored.Height : bandTop + rows - Context;
            canvas.Save();
            canvas.ClipRect(toTarget.MapRect(new SKRect(0, drawnTo, stored.Width, drawTo)));
            canvas.SetMatrix(toTarget.PreConcat(SKMatrix.CreateTranslation(0, bandTop)));
            using (var held = new SKPixmap(band.Info.WithSize(stored.Width, rows), band.GetPixels(), rowBytes))
            using (var image = SKImage.FromPixels(held))
            {
                canvas.DrawImage(image, 0, 0, Mitchell, copy);
            }

            canvas.Restore();
            drawnTo = drawTo;
        }

        return target;
    }

    private static SKBitmap Resize(SKBitmap bitmap, int width, int height) =>
        bitmap.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, bitmap.AlphaType), Mitchell)
        ?? throw new InvalidDataException("The image could not be resized.");

    /// <summary>A bitmap at the size asked for; disposing it frees it unless the decoder keeps it for the next size.</summary>
    public readonly record struct Sized(SKBitmap Bitmap, bool Owned) : IDisposable
    {
        public void Dispose()
        {
            if (Owned)
            {
                Bitmap.Dispose();
            }
        }
    }
}
