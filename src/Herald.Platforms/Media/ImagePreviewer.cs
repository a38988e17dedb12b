using System.Globalization;
using Herald.Accounts;
using Herald.Contents;
using Herald.Media;
using Herald.Validation;

namespace Herald.Platforms.Media;

/// <summary>
/// Describes a content's images per platform for a preview with the fitter the adapters use (<see cref="ImageFitter"/>),
/// so the sizes shown are the sizes sent. Local images are read and checked as scheduling reads them; images given by
/// URL are not fetched (a preview sends no request): they are fetched and checked at scheduling. One previewer serves
/// one preview: it keeps the fits it made, so two platforms with the same limits fit an image once.
/// </summary>
public sealed class ImagePreviewer(IImageInspector inspector, ContentLimits limits)
{
    private readonly Dictionary<(string Sha256, ImageTarget Target), Fit> _fits = [];

    /// <summary>
    /// Reads <paramref name="content"/>'s local images as scheduling would (the file must exist, be a still PNG, JPEG,
    /// WebP or GIF within <c>Herald:Limits:MaxImageBytes</c>) and fills in their facts; nothing is stored or fetched.
    /// </summary>
    /// <returns>The problems scheduling would refuse them with, each named <c>images[i].src</c>; empty when every one reads.</returns>
    public async Task<IReadOnlyList<ValidationProblem>> ReadLocalImagesAsync(Content content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            await using var read = await MediaIngest.PrepareAsync([(content, "")], inspector, null, limits, localOnly: true, cancellationToken);
            return [];
        }
        catch (ContentValidationException ex)
        {
            return ex.Problems;
        }
    }

    /// <summary>Each of <paramref name="content"/>'s images as <paramref name="adapter"/>'s platform would get it on <paramref name="account"/>.</summary>
    /// <param name="adapter">The platform.</param>
    /// <param name="content">The content, its local images read with <see cref="ReadLocalImagesAsync"/> to show their final sizes.</param>
    /// <param name="account">The account (LinkedIn's manual mode attaches images by hand).</param>
    /// <param name="problems">What the platform refuses (<see cref="IPlatformAdapter.Validate"/>) and what reading found: each image gets its own.</param>
    public IReadOnlyList<ImagePreview> Describe(IPlatformAdapter adapter, Content content, Account account, IEnumerable<ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(problems);
        if (adapter is not IImageRoutes routes || content.Images.Count == 0)
        {
            return [];
        }

        var all = problems.ToList();
        return [.. content.Images.Select((image, i) => Describe(image, i, routes.RouteOf(image, account), adapter.Platform.DisplayName, all))];
    }

    private ImagePreview Describe(ContentImage image, int index, ImageRoute route, string platform, List<ValidationProblem> problems)
    {
        var field = string.Create(CultureInfo.InvariantCulture, $"images[{index}]");
        var refusals = problems
            .Where(p => p.Field == field || p.Field.StartsWith(field + ".", StringComparison.Ordinal))
            .Select(p => $"{p.Field}: {p.Message}")
            .ToList();
        var preview = new ImagePreview
        {
            Index = index,
            Source = image.Source,
            Alt = image.Alt,
            Delivery = route.Delivery,
            Url = route.Url,
            Fitting = "",
            Refusals = refusals,
        };
        var readable = image.IsStored && !image.IsRemote;
        switch (route)
        {
            case { Delivery: ImageDelivery.Manual }:
                return readable
                    ? preview with { MediaType = image.MediaType, Length = image.Length, Width = image.Width, Height = image.Height, Fitting = "attached by hand as it is" }
                    : preview with { Fitting = "attached by hand as it is" };
            case { Delivery: ImageDelivery.Url, Url: null } when image.IsStored || refusals.Count > 0:
                return preview with { Fitting = $"not given to {platform}: it has no URL to download the image from" };
            case { Target: null }:
                return preview with
                {
                    MediaType = image.MediaType,
                    Length = image.IsStored ? image.Length : null,
                    Width = image.IsStored ? image.Width : null,
                    Height = image.IsStored ? image.Height : null,
                    Fitting = route.Condition is { } condition
                        ? $"sent as is if it qualifies: {platform} downloads it from {condition}"
                        : $"sent as is: {platform} downloads it from its own URL",
                };
            default:
                var target = route.Target!;
                var served = route.Delivery == ImageDelivery.Url ? $"{platform} downloads Herald's copy, " : "";
                if (!image.IsRemote && !image.IsStored && refusals.Exists(r => r.StartsWith(field + ".src:", StringComparison.Ordinal)))
                {
                    return preview with { Fitting = "not sent: the file cannot be used (below)" };
                }

                if (!readable)
                {
                    return preview with
                    {
                        Fitting = image.IsRemote
                            ? $"fetched at scheduling (a preview fetches nothing), then {served}fitted to {Limits(target)}"
                            : $"read at scheduling, then {served}fitted to {Limits(target)}",
                    };
                }

                var fit = FitOf(image, target);
                return fit.Refusal is { } refusal
                    ? preview with { Fitting = $"cannot be fitted to {Limits(target)}: {refusal}", Refusals = [.. refusals, $"{field}: {refusal}"] }
                    : preview with { MediaType = fit.MediaType, Length = fit.Length, Width = fit.Width, Height = fit.Height, Fitting = served + fit.Steps };
        }
    }

    private Fit FitOf(ContentImage image, ImageTarget target)
    {
        var key = (image.Sha256!, target);
        if (!_fits.TryGetValue(key, out var fit))
        {
            try
            {
                using var file = File.OpenRead(image.Source);
                var fitted = ImageFitter.Fit(file, target);
                fit = new Fit(fitted.MediaType, fitted.Bytes.LongLength, fitted.Width, fitted.Height, fitted.Fitting, null);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                fit = new Fit(null, null, null, null, "", ex.Message);
            }

            _fits[key] = fit;
        }

        return fit;
    }

    /// <summary>"at most 1,000,000 bytes and 4,000 pixels on a side, as JPEG, PNG or WEBP".</summary>
    private static string Limits(ImageTarget target) => string.Create(CultureInfo.InvariantCulture,
        $"at most {target.MaxBytes:N0} bytes and {target.MaxSide:N0} pixels on a side, as {string.Join(", ", target.MediaTypes.Select(ImageFitting.FormatName))}");

    private sealed record Fit(string? MediaType, long? Length, int? Width, int? Height, string Steps, string? Refusal);
}
