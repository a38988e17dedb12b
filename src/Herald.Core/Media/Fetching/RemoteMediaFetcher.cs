using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Herald.Media.Fetching;

/// <summary>
/// Fetches an image given by URL, once, at scheduling time, into the same private temporary copy a local file gets:
/// http and https only, every address checked when connecting (<see cref="AddressGuard"/>), redirects followed by hand
/// and each one checked again, the size capped while reading, the whole fetch under one timeout. The client sends no
/// cookies and no credentials. What the bytes are is decided by sniffing them afterwards, never by the server's word.
/// </summary>
internal sealed class RemoteMediaFetcher(IHttpClientFactory httpClientFactory, IOptions<MediaFetchOptions> options, TimeProvider timeProvider)
{
    /// <summary>The name of the HTTP client registered for fetching images.</summary>
    public const string HttpClientName = "Herald.Media";

    private const string Settings = MediaFetchOptions.Section;

    /// <summary>The handler the client uses: no automatic redirects, cookies, proxy or decompression; the guarded connect step.</summary>
    public static SocketsHttpHandler CreateHandler(MediaFetchOptions options) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        // A proxy would be what the connect step sees; the fetch connects to the address it checked.
        UseProxy = false,
        Credentials = null,
        PreAuthenticate = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectCallback = AddressGuard.ConnectCallback(options),
    };

    /// <summary>The image at <paramref name="url"/> in a temporary copy of <paramref name="prepared"/>, or why it was refused.</summary>
    public async Task<CopyOutcome> FetchAsync(Uri url, PreparedMedia prepared, long maxBytes, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return CopyOutcome.Refused("carries a user name or password in the URL; Herald sends no credentials when it fetches an image");
        }

        using var timeout = new CancellationTokenSource(settings.FetchTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await FollowAsync(url, prepared, maxBytes, settings, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return CopyOutcome.Refused(string.Create(CultureInfo.InvariantCulture,
                $"timed out: the fetch of {Describe(url)} took longer than {settings.FetchTimeout.TotalSeconds:0.###} s ({Settings}:{nameof(MediaFetchOptions.FetchTimeout)})"));
        }
        catch (HttpRequestException ex) when (Blocked(ex) is { } blocked)
        {
            return CopyOutcome.Refused(
                $"points at a private address: {blocked.Message}; Herald fetches images from public " +
                $"addresses only, unless {Settings}:{nameof(MediaFetchOptions.AllowedHosts)} names the host, {Settings}:{nameof(MediaFetchOptions.AllowedOrigins)} its origin, " +
                $"or {Settings}:{nameof(MediaFetchOptions.AllowPrivateAddresses)} is true");
        }
        catch (HttpRequestException ex)
        {
            return CopyOutcome.Refused($"could not be fetched from {Describe(url)}: {ex.Message}");
        }
    }

    private async Task<CopyOutcome> FollowAsync(Uri url, PreparedMedia prepared, long maxBytes, MediaFetchOptions settings, CancellationToken cancellationToken)
    {
        using var client = httpClientFactory.CreateClient(HttpClientName);
        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            if (current.Scheme != Uri.UriSchemeHttp && current.Scheme != Uri.UriSchemeHttps)
            {
                return CopyOutcome.Refused($"redirects to a {current.Scheme}: URL; Herald fetches images over http and https only (unsupported scheme)");
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/*"));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
            {
                if (redirects >= settings.MaxRedirects)
                {
                    return CopyOutcome.Refused(string.Create(CultureInfo.InvariantCulture,
                        $"redirects too many times: Herald follows at most {settings.MaxRedirects} redirects ({Settings}:{nameof(MediaFetchOptions.MaxRedirects)})"));
                }

                current = location.IsAbsoluteUri ? location : new Uri(current, location);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                return CopyOutcome.Refused(string.Create(CultureInfo.InvariantCulture,
                    $"could not be fetched: {Describe(current)} answered HTTP {status} ({response.ReasonPhrase})"));
            }

            if (response.Content.Headers.ContentLength is { } declared && declared > maxBytes)
            {
                return CopyOutcome.Refused(CopyOutcome.TooLarge(declared, maxBytes));
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var copy = await prepared.CopyAsync(body, maxBytes, cancellationToken);
            return copy is null
                ? CopyOutcome.Refused(CopyOutcome.TooLarge(null, maxBytes))
                : new CopyOutcome(copy, response.Content.Headers.ContentType?.MediaType, null);
        }
    }

    /// <summary>The URL without its query (which may carry a signature) for messages.</summary>
    private static string Describe(Uri url) => url.GetLeftPart(UriPartial.Path);

    private static BlockedAddressException? Blocked(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is BlockedAddressException blocked)
            {
                return blocked;
            }
        }

        return null;
    }
}
