using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Herald.Platforms.Http;

/// <summary>
/// What every adapter does around one HTTP call: send it, read the body, and turn a transport failure into
/// an outcome, so each adapter only reads what its platform answered.
/// </summary>
internal static class PlatformHttp
{
    /// <summary>
    /// Compact JSON with null fields left out, and non-ASCII text kept readable in previews. The relaxed
    /// encoder is safe here: these are API bodies, never embedded in HTML.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Sends <paramref name="message"/> and reads the whole answer; never throws for a network failure.</summary>
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

        HttpResponseMessage? response = null;
        try
        {
            response = await client.SendAsync(message, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return new PlatformAnswer(response, body, null);
        }
        catch (Exception ex) when (HttpOutcomes.IsTransportFailure(ex, cancellationToken))
        {
            response?.Dispose();
            return new PlatformAnswer(null, "", HttpOutcomes.FromException(ex, platformName));
        }
    }

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
