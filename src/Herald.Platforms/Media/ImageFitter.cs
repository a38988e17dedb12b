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
/// Each size is decoded by <see cref="SizedDecoder"/>, which decodes a JPEG no larger than it needs.
/// </summary>
internal static class ImageFitter
{
    private static readonly int[] Qualities = [90, 80, 70, 60];

    /// <summary>The image in <paramref name="source"/> fitted to <paramref name="target"/>.</summary>
    public static FittedImage Fit(Stream source, ImageTarget target)
    {
        using var codec = Open(source);
        return Fit(codec, target);
    }

    /// <summary>A decoder for the image in <paramref name="source"/>, which reads only its header so far.</summary>
    public static SKCodec Open(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return SKCodec.Create(source) ?? throw new InvalidDataException("The stored image cannot be decoded.");
    }

    /// <summary>The image <paramref name="codec"/> reads fitted to <paramref name="target"/>.</summary>
    public static FittedImage Fit(SKCodec codec, ImageTarget target)
    {
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(target);
        NativeMemoryTuning.KeepLargeBlocksReturnable();
        var sourceType = SkiaImages.MediaType(codec.EncodedFormat);
        using var decoder = new SizedDecoder(codec);
        var (width, height) = decoder.Size;
        var scale = Math.Min(1.0, Math.Min(Math.Sqrt((double)target.MaxPixels / ((double)width * height)), (double)target.MaxSide / Math.Max(width, height)));
        var format = Format(sourceType, target);
        var toFitSize = false;
        for (var round = 0; round < 30; round++)
        {
            var w = Math.Max(1, (int)Math.Floor(width * scale));
            var h = Math.Max(1, (int)Math.Floor(height * scale));
            using var sized = decoder.At(w, h);
            using var opaque = format == "image/jpeg" ? OnWhite(sized.Bitmap) : null;
            var bitmap = opaque ?? sized.Bitmap;
            foreach (var quality in format == "image/png" ? [100] : Qualities)
            {
                var bytes = Encode(bitmap, format, quality, target.MaxBytes);
                if (bytes is not null)
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

    /// <summary>
    /// The bitmap drawn on white, as JPEG has no transparency and viewers show a transparent image on a light page;
    /// null when it is opaque already (a photo), which needs no copy.
    /// </summary>
    private static SKBitmap? OnWhite(SKBitmap bitmap)
    {
        if (bitmap.AlphaType == SKAlphaType.Opaque)
        {
            return null;
        }

        var opaque = new SKBitmap(new SKImageInfo(bitmap.Width, bitmap.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(opaque);
        canvas.Clear(SKColors.White);
        canvas.DrawBitmap(bitmap, 0, 0, SKSamplingOptions.Default); // drawn from its pixels; an SKImage of a mutable bitmap would copy them first
        return opaque;
    }

    /// <summary>
    /// The bitmap encoded, or null when the encoding is over <paramref name="maxBytes"/>. Encoded straight from the
    /// pixels into a buffer that stops keeping bytes past the limit: a 20 MB photo can take a dozen tries, and a refused
    /// one then costs no memory beyond the limit.
    /// </summary>
    private static byte[]? Encode(SKBitmap bitmap, string format, int quality, long maxBytes)
    {
        var encoding = format switch
        {
            "image/jpeg" => SKEncodedImageFormat.Jpeg,
            "image/webp" => SKEncodedImageFormat.Webp,
            _ => SKEncodedImageFormat.Png,
        };
        using var output = new CappedBuffer(maxBytes);
        if (!bitmap.Encode(output, encoding, quality))
        {
            throw new InvalidDataException($"The image could not be encoded as {encoding}.");
        }

        return output.ToArray();
    }
}
