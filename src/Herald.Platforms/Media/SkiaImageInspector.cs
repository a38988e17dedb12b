using System.Globalization;
using Herald.Media;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SkiaSharp;

namespace Herald.Platforms.Media;

/// <summary>
/// <see cref="IImageInspector"/> with SkiaSharp (Google's Skia, MIT-licensed, maintained, native decoders): the
/// format is what Skia's decoders recognise in the bytes, the size is as displayed (EXIF orientation applied), and an
/// image of several frames (an animated GIF or WebP) is refused for now.
/// </summary>
internal sealed class SkiaImageInspector : IImageInspector
{
    public ImageInspection Inspect(Stream data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var codec = SKCodec.Create(data, out var result);
        if (codec is null)
        {
            return ImageInspection.Refused($"cannot be read as an image ({result}); Herald takes PNG, JPEG, WebP and GIF files");
        }

        var type = SkiaImages.MediaType(codec.EncodedFormat);
        if (type is null)
        {
            return ImageInspection.Refused($"is a {codec.EncodedFormat} image; Herald takes PNG, JPEG, WebP and GIF files");
        }

        if (codec.FrameCount > 1)
        {
            return ImageInspection.Refused(string.Create(CultureInfo.InvariantCulture,
                $"is an animated {codec.EncodedFormat.ToString().ToUpperInvariant()} ({codec.FrameCount} frames); Herald posts still images only for now"));
        }

        var (width, height) = SkiaImages.Displayed(codec);
        return new ImageInspection { MediaType = type, Width = width, Height = height };
    }
}

/// <summary>Registers the inspector; every platform that takes images calls it, so any one of them is enough to schedule images.</summary>
internal static class ImageInspectorRegistration
{
    /// <summary>Adds <see cref="SkiaImageInspector"/> once (scheduling refuses every image without an inspector), and the <see cref="ImagePreviewer"/> previews use.</summary>
    public static IServiceCollection AddImageInspector(this IServiceCollection services)
    {
        services.TryAddSingleton<IImageInspector, SkiaImageInspector>();
        // One per preview: it keeps the fits it made for that preview only.
        services.TryAddTransient<ImagePreviewer>();
        return services;
    }
}
