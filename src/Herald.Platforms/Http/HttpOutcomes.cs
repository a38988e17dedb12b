using System.Globalization;
using System.Net.Http.Headers;

namespace Herald.Platforms.Http;

/// <summary>
/// Shared by every adapter: turns transport failures and standard headers into outcomes, so each
/// platform's error classifier only deals with what that platform says.
/// </summary>
internal static class HttpOutcomes
{
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
            case TaskCanceledException or TimeoutException:
                return PublishOutcome.Unknown($"{platformName} did not answer in time; the post may exist.");
            default:
                return PublishOutcome.Unknown($"{platformName} call failed ({exception.GetType().Name}).");
        }
    }

    /// <summary>True when the exception is a transport failure that <see cref="FromException"/> classifies.</summary>
    public static bool IsTransportFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException or TimeoutException ||
        (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>The <c>Retry-After</c> header as a delay (seconds or an HTTP date), if present.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider)
    {
        RetryConditionHeaderValue? header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>An epoch-seconds reset header (X's <c>x-rate-limit-reset</c>, Bluesky's <c>RateLimit-Reset</c>) as a delay.</summary>
    public static TimeSpan? UntilEpochReset(HttpResponseMessage response, string headerName, TimeProvider timeProvider)
    {
        if (!response.Headers.TryGetValues(headerName, out var values) ||
            !long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            return null;
        }

        var wait = DateTimeOffset.FromUnixTimeSeconds(epoch) - timeProvider.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private static string Describe(Exception exception) =>
        exception is HttpRequestException http ? http.HttpRequestError.ToString() : exception.GetType().Name;
}
