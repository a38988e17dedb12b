using System.Globalization;

namespace Herald.Platforms.Http;

/// <summary>
/// Shared by every adapter: turns transport failures and standard headers into outcomes, so each
/// platform's error classifier only deals with what that platform says.
/// </summary>
internal static class HttpOutcomes
{
    /// <summary>
    /// The longest wait a header can ask for. Anything longer is read as this: the engine sends a wait over a day
    /// to a person anyway, and a server cannot park an account for decades.
    /// </summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(30);

    /// <summary>The three HTTP-date forms (RFC 9110 §5.6.7): IMF-fixdate, then the obsolete RFC 850 and asctime forms.</summary>
    private static readonly string[] HttpDateFormats = ["r", "dddd, dd-MMM-yy HH:mm:ss 'GMT'", "ddd MMM d HH:mm:ss yyyy"];

    private static readonly long MinEpochSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long MaxEpochSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>
    /// A failure while sending. Before the request left (connection refused, DNS) a resend is safe:
    /// <see cref="PublishOutcomeKind.Transient"/>. After it may have arrived (timeout, connection dropped
    /// mid-answer) the platform may have the post: <see cref="PublishOutcomeKind.Unknown"/>.
    /// </summary>
    public static PublishOutcome FromException(Exception exception, string platformName)
    {
        switch (exception)
        {
            case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError or HttpRequestError.SecureConnectionError }:
                return PublishOutcome.Transient($"Could not reach {platformName}: {Describe(exception)}.");
            case HttpRequestException:
                return PublishOutcome.Unknown(
                    $"The connection to {platformName} failed after the request was sent ({Describe(exception)}); the post may exist.");
            case IOException:
                return PublishOutcome.Unknown(
                    $"The connection to {platformName} broke while its answer was read ({exception.GetType().Name}); the post may exist.");
            case OperationCanceledException or TimeoutException:
                return PublishOutcome.Unknown($"{platformName} did not answer in time; the post may exist.");
            default:
                return PublishOutcome.Unknown($"{platformName} call failed ({exception.GetType().Name}).");
        }
    }

    /// <summary>
    /// A 5xx answer to a create. A gateway answers 502/504 when the origin was slow, and the origin may well have
    /// made the post: <see cref="PublishOutcomeKind.Unknown"/>, so the engine looks before it sends again.
    /// </summary>
    public static PublishOutcome ServerErrorOnCreate(string platformName, int status, string? said) =>
        PublishOutcome.Unknown(
            $"{platformName} had a server error (HTTP {status}){(string.IsNullOrEmpty(said) ? "" : $": {said}")} after the request was sent; " +
            "the post may exist, so Herald looks for it before sending again.", status);

    /// <summary>True when the exception is a transport failure that <see cref="FromException"/> classifies.</summary>
    public static bool IsTransportFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException or TimeoutException or IOException ||
        (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>
    /// The <c>Retry-After</c> header as a delay (delta seconds or an HTTP date), at most <see cref="MaxWait"/>; null
    /// when absent or unreadable. Read from the raw value, so no value a server sends can throw.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider)
    {
        if (!response.Headers.NonValidated.TryGetValues("Retry-After", out var values) || values.FirstOrDefault()?.Trim() is not { Length: > 0 } raw)
        {
            return null;
        }

        if (raw.All(char.IsAsciiDigit))
        {
            // More digits than a long holds is still "very long": capped like any other.
            return decimal.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? Cap(seconds >= (decimal)MaxWait.TotalSeconds ? MaxWait : TimeSpan.FromSeconds((double)seconds))
                : MaxWait;
        }

        return DateTimeOffset.TryParseExact(raw, HttpDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? Until(date, timeProvider)
            : null;
    }

    /// <summary>
    /// An epoch-seconds reset header (X's <c>x-rate-limit-reset</c>, Bluesky's <c>RateLimit-Reset</c>) as a delay, at
    /// most <see cref="MaxWait"/>; null when absent, unreadable or outside the dates a clock can hold.
    /// </summary>
    public static TimeSpan? UntilEpochReset(HttpResponseMessage response, string headerName, TimeProvider timeProvider)
    {
        if (!response.Headers.NonValidated.TryGetValues(headerName, out var values) ||
            !long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch) ||
            epoch < MinEpochSeconds || epoch > MaxEpochSeconds)
        {
            return null;
        }

        return Until(DateTimeOffset.FromUnixTimeSeconds(epoch), timeProvider);
    }

    /// <summary>The wait until <paramref name="moment"/>: none when it has passed, at most <see cref="MaxWait"/>.</summary>
    public static TimeSpan Until(DateTimeOffset moment, TimeProvider timeProvider)
    {
        var now = timeProvider.GetUtcNow();
        return moment - now >= MaxWait ? MaxWait : Cap(moment - now);
    }

    /// <summary>A wait between zero and <see cref="MaxWait"/>.</summary>
    public static TimeSpan Cap(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait;

    private static string Describe(Exception exception) =>
        exception is HttpRequestException http ? http.HttpRequestError.ToString() : exception.GetType().Name;
}
