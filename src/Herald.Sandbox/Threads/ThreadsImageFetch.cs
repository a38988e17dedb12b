using System.Globalization;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.Threads;

/// <summary>What a container is made with besides its text: the downloaded image, whether it is a carousel item, a carousel's children.</summary>
internal sealed record ThreadsContainerMedia
{
    public ThreadsImage? Image { get; init; }

    public bool IsCarouselItem { get; init; }

    public IReadOnlyList<string> Children { get; init; } = [];
}

/// <summary>
/// The simulated Threads downloading an <c>image_url</c> as the real one does (docs/platforms.md, Threads, "Images"):
/// over HTTP, when the container is made. The bytes must be a JPEG or a PNG (sniffed, whatever the Content-Type
/// says), at most 8 MiB, with an aspect ratio within 10:1; a URL that cannot be fetched is refused at once with the
/// error seen from Threads, "The media could not be fetched from this URI".
/// </summary>
internal static class ThreadsImageFetch
{
    public const int MaxAltText = 1_000;

    /// <summary>8 MiB, as Meta's "less than 8 MiB" for Instagram's image downloads reads.</summary>
    public const long MaxBytes = 8L * 1024 * 1024;

    private static readonly HttpClient Client = new(new SocketsHttpHandler { AllowAutoRedirect = true, MaxAutomaticRedirections = 5, ConnectTimeout = TimeSpan.FromSeconds(10) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>The image at <paramref name="url"/> with its alt text; or the Graph error refusing it.</summary>
    public static async Task<(ThreadsImage? Image, ThreadsGraphError? Error)> FetchAsync(string url, string? altText, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return (null, ThreadsState.InvalidParameter("Param image_url must be a valid http or https URL."));
        }

        byte[] bytes;
        try
        {
            using var answer = await Client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!answer.IsSuccessStatusCode)
            {
                return (null, NotFetched($"the URL answered HTTP {(int)answer.StatusCode}"));
            }

            await using var body = await answer.Content.ReadAsStreamAsync(cancellationToken);
            using var copy = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                copy.Write(buffer, 0, read);
                if (copy.Length > MaxBytes)
                {
                    return (null, ThreadsState.InvalidParameter(
                        "The image is too large to download. It should be less than 8 MiB.", subcode: 2207004,
                        userMessage: string.Create(CultureInfo.InvariantCulture, $"{url} serves more than {MaxBytes:N0} bytes.")));
                }
            }

            bytes = copy.ToArray();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, NotFetched(e.Message));
        }

        var type = SandboxImageSniffer.TypeOf(bytes);
        if (type is not ("image/jpeg" or "image/png"))
        {
            return (null, ThreadsState.InvalidParameter(
                "The image format is not supported. Use a JPEG or PNG image.", subcode: 2207026, userMessage: $"{url} is {type ?? "not an image"}."));
        }

        var (width, height) = SandboxImageSniffer.SizeOf(bytes);
        if (width > 0 && height > 0 && Math.Max(width, height) > 10L * Math.Min(width, height))
        {
            return (null, ThreadsState.InvalidParameter(
                "The aspect ratio of the image is not supported.", subcode: 2207009,
                userMessage: string.Create(CultureInfo.InvariantCulture, $"The image is {width}×{height}; the aspect ratio must be within 10:1.")));
        }

        return (new ThreadsImage("", url, altText ?? "", type, bytes, width, height), null);
    }

    private static ThreadsGraphError NotFetched(string why) =>
        ThreadsState.InvalidParameter("The media could not be fetched from this URI", subcode: 2207052, userMessage: why);
}
