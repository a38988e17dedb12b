using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Herald.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Herald.Platforms.Http;

/// <summary>
/// What every adapter does around one HTTP call: send it, read the body, and turn a transport failure into
/// an outcome, so each adapter only reads what its platform answered. There is deliberately no automatic HTTP
/// retry (no resilience handler): a create is not idempotent, and a retry at this layer would resend a post the
/// platform may already have made. The engine retries instead, after looking the post up.
/// </summary>
internal static class PlatformHttp
{
    /// <summary>
    /// The most of an answer Herald reads: 4 MiB. Every platform's answers are far smaller; a longer one (a broken
    /// or hostile self-hosted instance) is refused with an outcome instead of filling the worker's memory.
    /// </summary>
    public const int MaxResponseBytes = 4 * 1024 * 1024;

    /// <summary>What an answer without a length is first read into; longer ones grow it, twice as long each time.</summary>
    private const int UnannouncedReadBytes = 16 * 1024;

    private static readonly UTF32Encoding BigEndianUtf32 = new(bigEndian: true, byteOrderMark: false);

    /// <summary>
    /// Compact JSON with null fields left out, and non-ASCII text kept readable in previews. The relaxed
    /// encoder is safe here: these are API bodies, never embedded in HTML.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The most connections a worker opens to one platform host at once. A burst (1,000 posts due at one instant)
    /// otherwise opens a connection per request; the requests beyond this wait for a free connection instead, which
    /// on a 2-core worker sent the burst sooner (docs/benchmarks.md), and is kinder to the platform.
    /// </summary>
    public const int MaxConnectionsPerServer = 64;

    /// <summary>
    /// Registers a platform's named client: its timeout (read from <typeparamref name="TOptions"/>), at most
    /// <see cref="MaxResponseBytes"/> buffered, at most <see cref="MaxConnectionsPerServer"/> connections to a host,
    /// and no header value in the logs (they carry credentials).
    /// </summary>
    public static IHttpClientBuilder AddPlatformHttpClient<TOptions>(this IServiceCollection services, string name, Func<TOptions, TimeSpan> timeout)
        where TOptions : class =>
        services.AddHttpClient(name)
            .ConfigureHttpClient((sp, client) => Configure(client, timeout(sp.GetRequiredService<IOptions<TOptions>>().Value)))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { MaxConnectionsPerServer = MaxConnectionsPerServer })
            .RedactLoggedHeaders(_ => true);

    /// <summary>
    /// Sets up a platform's named client: its timeout, and <see cref="MaxResponseBytes"/> as the most it buffers, so
    /// that no read through it, here or elsewhere, can hold more.
    /// </summary>
    public static void Configure(HttpClient client, TimeSpan timeout)
    {
        client.Timeout = timeout;
        client.MaxResponseContentBufferSize = MaxResponseBytes;
    }

    /// <summary>
    /// Sends <paramref name="message"/> and reads the answer, at most <see cref="MaxResponseBytes"/> of it; never throws
    /// for a network failure. A longer answer is not read: the call ends <see cref="PublishOutcomeKind.Unknown"/>
    /// (the request went out, and for a create the post may exist), with the limit named.
    /// </summary>
    public static async Task<PlatformAnswer> SendAsync(
        HttpClient client, HttpRequestMessage message, string platformName, CancellationToken cancellationToken)
    {
        if (message.RequestUri is { } target && !IsCredentialSafe(client.BaseAddress is null ? target : new Uri(client.BaseAddress, target)))
        {
            // Every platform call carries the account's credentials; nothing was sent.
            return new PlatformAnswer(null, "", PublishOutcome.Permanent(
                $"Herald sends {platformName} credentials over https only, and {target.GetLeftPart(UriPartial.Authority)} is plain http " +
                "to another machine: use the https address in the account's base URL (plain http is allowed for loopback addresses such as the sandbox)."));
        }

        // A worker frozen past its budget (and its lease) sends nothing more when it resumes: another may own it now.
        AttemptDeadline.ThrowIfPassed();
        HttpResponseMessage? response = null;
        try
        {
            // Headers first, so the body can be read within the limit instead of buffered whole.
            response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            using var bodyTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (client.Timeout != Timeout.InfiniteTimeSpan)
            {
                // The client's timeout covers the headers only when they come first; the body gets as long again.
                bodyTimeout.CancelAfter(client.Timeout);
            }

            var body = await ReadBodyAsync(response.Content, ArrayPool<byte>.Shared, bodyTimeout.Token);
            if (body is null)
            {
                var status = (int)response.StatusCode;
                response.Dispose();
                return new PlatformAnswer(null, "", PublishOutcome.Unknown(
                    $"{platformName} answered HTTP {status} with more than {MaxResponseBytes / (1024 * 1024)} MiB, which Herald does not read; " +
                    "if it was a create, the post may exist.", status));
            }

            return new PlatformAnswer(response, body, null);
        }
        catch (Exception ex) when (HttpOutcomes.IsTransportFailure(ex, cancellationToken))
        {
            response?.Dispose();
            return new PlatformAnswer(null, "", HttpOutcomes.FromException(ex, platformName));
        }
    }

    /// <summary>
    /// The body as text (a byte order mark decides the encoding, else UTF-8); null when it is longer than the limit.
    /// Read into a pooled buffer as long as the announced length (else grown as it fills): a worker reads thousands of
    /// answers a second, and a fresh 80 KB buffer for each was most of what it allocated, and of its collections.
    /// </summary>
    internal static async Task<string?> ReadBodyAsync(HttpContent content, ArrayPool<byte> pool, CancellationToken cancellationToken)
    {
        var announced = content.Headers.ContentLength;
        if (announced > MaxResponseBytes)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        // One byte more than announced: the read that finds the end needs room to try.
        var buffer = pool.Rent(announced is { } length ? (int)length + 1 : UnannouncedReadBytes);
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    buffer = Grow(pool, buffer, filled);
                }

                var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    return Decode(buffer.AsSpan(0, filled));
                }

                filled += read;
                if (filled > MaxResponseBytes)
                {
                    return null;
                }
            }
        }
        finally
        {
            Release(pool, buffer, filled);
        }
    }

    private static byte[] Grow(ArrayPool<byte> pool, byte[] buffer, int filled)
    {
        var larger = pool.Rent(Math.Min(buffer.Length * 2, MaxResponseBytes + 1));
        buffer.AsSpan(0, filled).CopyTo(larger);
        Release(pool, buffer, filled);
        return larger;
    }

    /// <summary>Answers carry tokens (an OAuth exchange's, say): none is left in the pool for whoever rents it next.</summary>
    private static void Release(ArrayPool<byte> pool, byte[] buffer, int filled)
    {
        buffer.AsSpan(0, filled).Clear();
        pool.Return(buffer);
    }

    /// <summary>Decodes as <see cref="StreamReader"/> would with byte order marks detected: a mark decides, else UTF-8.</summary>
    internal static string Decode(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xEF, 0xBB, 0xBF, ..] => Encoding.UTF8.GetString(bytes[3..]),
        [0xFF, 0xFE, 0x00, 0x00, ..] => Encoding.UTF32.GetString(bytes[4..]),
        [0xFF, 0xFE, ..] => Encoding.Unicode.GetString(bytes[2..]),
        [0xFE, 0xFF, ..] => Encoding.BigEndianUnicode.GetString(bytes[2..]),
        [0x00, 0x00, 0xFE, 0xFF, ..] => BigEndianUtf32.GetString(bytes[4..]),
        _ => Encoding.UTF8.GetString(bytes),
    };

    /// <summary>The body as <typeparamref name="T"/>, or null when it is not that JSON.</summary>
    public static T? TryDeserialize<T>(string body)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The string property <paramref name="name"/> of a JSON object body (an error's <c>error</c> or <c>message</c>); null otherwise.</summary>
    public static string? StringProperty(string? body, string name)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                   document.RootElement.TryGetProperty(name, out var value) &&
                   value.ValueKind == JsonValueKind.String
                ? value.GetString()?.Trim()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><paramref name="relative"/> under <paramref name="baseUrl"/>, whether or not the base ends with a slash.</summary>
    public static Uri Combine(Uri baseUrl, string relative) => new(baseUrl.AbsoluteUri.TrimEnd('/') + "/" + relative.TrimStart('/'));

    public static bool IsHttpUrl(Uri url) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    /// <summary>
    /// Whether a call carrying credentials may go to <paramref name="url"/>: https, or plain http to this machine
    /// (the sandbox, a local proxy). Plain http elsewhere would send the token across the network in clear text.
    /// </summary>
    public static bool IsCredentialSafe(Uri url) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback));

    public static Uri? ParseAbsolute(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? parsed : null;
}

/// <summary>
/// The answer to one platform call: the response with its body already read, or — when the call never got
/// an answer — the outcome of that transport failure.
/// </summary>
internal sealed class PlatformAnswer(HttpResponseMessage? response, string body, PublishOutcome? failure) : IDisposable
{
    /// <summary>Set when the call failed before an answer arrived; the other members are then meaningless.</summary>
    public PublishOutcome? Failure { get; } = failure;

    public HttpResponseMessage Response => response ?? throw new InvalidOperationException("The call failed; read Failure instead.");

    public string Body { get; } = body;

    public int Status => (int)Response.StatusCode;

    public bool IsSuccess => Response.IsSuccessStatusCode;

    /// <summary>The first value of a response header, or null.</summary>
    public string? Header(string name) =>
        Response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;

    public void Dispose() => response?.Dispose();
}

/// <summary>The option rules every adapter shares, reported with the configuration key that breaks them.</summary>
internal static class PlatformOptionRules
{
    /// <summary>An absolute http(s) URL; https (or plain http to a loopback host) when calls to it carry credentials.</summary>
    public static void BaseUrl(List<string> failures, string key, Uri? url, string example, bool carriesCredentials = true)
    {
        if (url is null || !PlatformHttp.IsHttpUrl(url))
        {
            failures.Add($"{key} must be an absolute http or https URL, such as {example}.");
        }
        else if (carriesCredentials && !PlatformHttp.IsCredentialSafe(url))
        {
            failures.Add($"{key} must be an https URL, such as {example}: calls to it carry credentials (plain http is allowed for loopback addresses only).");
        }
    }

    public static void Timeout(List<string> failures, string key, TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            failures.Add($"{key} must be positive, such as 00:00:30.");
        }
    }
}
