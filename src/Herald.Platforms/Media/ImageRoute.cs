using System.Text.Json.Serialization;
using Herald.Accounts;
using Herald.Contents;

namespace Herald.Platforms.Media;

/// <summary>How an image reaches a platform; in JSON <c>upload</c>, <c>url</c> or <c>manual</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImageDelivery>))]
public enum ImageDelivery
{
    /// <summary>Herald fits the stored bytes to the platform's limits and uploads them.</summary>
    [JsonStringEnumMemberName("upload")]
    Upload = 0,

    /// <summary>The platform downloads the image from a URL itself (Threads, Dev.to).</summary>
    [JsonStringEnumMemberName("url")]
    Url = 1,

    /// <summary>A person attaches the image by hand (LinkedIn's manual mode).</summary>
    [JsonStringEnumMemberName("manual")]
    Manual = 2,
}

/// <summary>
/// How one image reaches one platform: uploaded after fitting to <see cref="Target"/>; or downloaded by the platform
/// from <see cref="Url"/> — Herald's fitted copy when <see cref="Target"/> is set, the source as it is when not, and
/// no URL at all when the platform cannot be given one; or attached by hand.
/// </summary>
/// <param name="Delivery">Upload, URL or by hand.</param>
/// <param name="Target">The limits the image is fitted to; null when nothing is fitted.</param>
/// <param name="Url">The URL the platform downloads the image from (<see cref="ImageDelivery.Url"/> only).</param>
/// <param name="Condition">When the source URL is given as it is only under a condition checked at scheduling.</param>
internal sealed record ImageRoute(ImageDelivery Delivery, ImageTarget? Target, Uri? Url, string? Condition = null)
{
    public static ImageRoute Upload(ImageTarget target) => new(ImageDelivery.Upload, target, null);

    public static ImageRoute ByHand { get; } = new(ImageDelivery.Manual, null, null);

    /// <summary>The platform downloads <paramref name="url"/>: Herald's copy fitted to <paramref name="fittedTo"/>, or the source as it is when null.</summary>
    public static ImageRoute Download(Uri? url, ImageTarget? fittedTo, string? condition = null) => new(ImageDelivery.Url, fittedTo, url, condition);
}

/// <summary>An adapter that attaches images says how each one reaches its platform, for previews.</summary>
internal interface IImageRoutes
{
    ImageRoute RouteOf(ContentImage image, Account account);
}
