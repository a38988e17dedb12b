using System.Security.Cryptography;
using SkiaSharp;

namespace Herald.Platforms.Media;

/// <summary>What a platform accepts in one image.</summary>
/// <param name="MaxBytes">The largest file, in bytes (inclusive).</param>
/// <param name="MaxPixels">The most pixels (width × height).</param>
/// <param name="MaxSide">The longest side, in pixels.</param>
/// <param name="MediaTypes">The formats it takes, such as <c>image/jpeg</c>.</param>
internal sealed record ImageTarget(long MaxBytes, long MaxPixels, int MaxSide, IReadOnlyList<string> MediaTypes);

/// <summary>An image ready to upload, and what fitting did to it.</summary>
internal sealed record FittedImage(byte[] Bytes, string MediaType, int Width, int Height, ImageFitting Steps)
{
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Bytes));

    /// <summary>What fitting did, in words (<see cref="ImageFitting.Describe"/>).</summary>
    public string Fitting => Steps.Describe();
}

/// <summary>
/// Makes an image fit a platform with SkiaSharp: always re-encoded (so no metadata, such as GPS EXIF, leaves
/// Herald; the EXIF orientation is applied first), scaled down to the pixel and side limits keeping its aspect ratio,
/// in the platform's formats (a GIF or a refused format becomes PNG or JPEG), then, while over the byte limit, JPEG
/// and WebP quality stepped down (90, 80, 70, 60) before the dimensions (by a quarter each round); a PNG over
/// the limit becomes a JPEG (transparency on white) when the platform takes JPEG. The same input gives the same bytes.
/// </summary>
internal static class ImageFitter
{
    private static readonly int[] Qualities = [90, 80, 70, 60];

    // As many images fitted at once as there are cores: fitting is CPU work, so more at once would only hold more
    // images in memory (a 20 MB photo costs its decoded bitmap, a resized copy and the encoded bytes, about 100 MB)
    // without finishing sooner. Publishing and the public /media answers wait in separate lines, so anonymous
    // requests for images cannot hold up an attempt, whose wait counts against its time budget.
    private static readonly SemaphoreSlim PublishTurns = new(Environment.ProcessorCount, Environment.ProcessorCount);

    private static readonly SemaphoreSlim ServeTurns = new(Environment.ProcessorCount, Environment.ProcessorCount);

    /// <summary>Waits for a turn to fit an image for publishing; dispose the result when done.</summary>
    public static Task<IDisposable> WaitTurnAsync(CancellationToken cancellationToken) => WaitAsync(PublishTurns, cancellationToken);

    /// <summary>Waits for a turn to fit an image a platform downloads from <c>/media</c>; dispose the result when done.</summary>
    public static Task<IDisposable> WaitServeTurnAsync(CancellationToken cancellationToken) => WaitAsync(ServeTurns, cancellationToken);

    private static async Task<IDisposable> WaitAsync(SemaphoreSlim turns, CancellationToken cancellationToken)
    {
        await turns.WaitAsync(cancellationToken);
        return new TurnRelease(turns);
    }

    private sealed class TurnRelease(SemaphoreSlim turns) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                turns.Release();
            }
        }
    }

    public static FittedImage Fit(Stream source, ImageTarget target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        NativeMemoryTuning.KeepLargeBlocksReturnable();
        using var codec = SKCodec.Create(source) ?? throw new InvalidDataException("The stored image cannot be decoded.");
        var sourceType = SkiaImages.MediaType(codec.EncodedFormat);
        using var upright = SkiaImages.DecodeUpright(codec);
        var (width, height) = (upright.Width, upright.Height);
        var scale = Math.Min(1.0, Math.Min(Math.Sqrt((double)target.MaxPixels / ((double)width * height)), (double)target.MaxSide / Math.Max(width, height)));
        var format = Format(sourceType, target);
        var toFitSize = false;
        for (var round = 0; round < 30; round++)
        {
            var w = Math.Max(1, (int)Math.Floor(width * scale));
            var h = Math.Max(1, (int)Math.Floor(height * scale));
            using var sized = w == width && h == height ? null : Resize(upright, w, h);
            var bitmap = sized ?? upright;
            foreach (var quality in format == "image/png" ? [100] : Qualities)
            {
                var bytes = Encode(bitmap, format, quality);
                if (bytes.LongLength <= target.MaxBytes)
                {
                    var steps = new ImageFitting(sourceType, width, height, format, w, h, format == "image/png" ? null : quality, toFitSize);
                    return new FittedImage(bytes, format, w, h, steps);
                }
            }

            if (format == "image/png" && target.MediaTypes.Contains("image/jpeg"))
            {
                format = "image/jpeg";
                toFitSize = true;
                continue;
            }

            scale *= 0.75;
        }

        throw new InvalidDataException("The image could not be made small enough for the platform.");
    }

    private static string Format(string? sourceType, ImageTarget target) =>
        sourceType is not null && sourceType != "image/gif" && target.MediaTypes.Contains(sourceType) ? sourceType
        : sourceType == "image/gif" && target.MediaTypes.Contains("image/png") ? "image/png"
        : "image/jpeg";

    private static SKBitmap Resize(SKBitmap bitmap, int width, int height) =>
        bitmap.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKCubicResampler.Mitchell))
        ?? throw new InvalidDataException("The image could not be resized.");

    private static byte[] Encode(SKBitmap bitmap, string format, int quality)
    {
        if (format == "image/jpeg")
        {
            // JPEG has no transparency: drawn on white, as viewers show a transparent image on a light page.
            using var opaque = new SKBitmap(new SKImageInfo(bitmap.Width, bitmap.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
            using (var canvas = new SKCanvas(opaque))
            {
                canvas.Clear(SKColors.White);
                using var drawn = SKImage.FromBitmap(bitmap);
                canvas.DrawImage(drawn, 0, 0, SKSamplingOptions.Default);
            }

            return EncodeAs(opaque, SKEncodedImageFormat.Jpeg, quality);
        }

        return EncodeAs(bitmap, format == "image/webp" ? SKEncodedImageFormat.Webp : SKEncodedImageFormat.Png, quality);
    }

    private static byte[] EncodeAs(SKBitmap bitmap, SKEncodedImageFormat format, int quality)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality) ?? throw new InvalidDataException($"The image could not be encoded as {format}.");
        return data.ToArray();
    }
}
