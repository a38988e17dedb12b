using System.Globalization;
using System.Net;
using Herald.Platforms.Http;

namespace Herald.Platforms.Mastodon;

/// <summary>
/// Mastodon's error classifier (docs/platforms.md, Mastodon, "Errors"): maps an answer of <c>POST /api/v1/statuses</c>
/// that is not a success to an outcome; a 5xx is Unknown, since the status may exist. Transport failures are classified by <c>HttpOutcomes</c>.
/// </summary>
internal static class MastodonErrors
{
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The answer body, <c>{"error":"…"}</c> on Mastodon.</param>
    /// <param name="retryAfter">How long to wait: until <c>X-RateLimit-Reset</c>, else Retry-After, when sent.</param>
    public static PublishOutcome Classify(HttpStatusCode status, string? body, TimeSpan? retryAfter)
    {
        var code = (int)status;
        var said = Quote(Message(body));
        return code switch
        {
            401 => PublishOutcome.Permanent(
                $"Mastodon refused the access token (HTTP 401){said}: it is wrong, revoked or for another instance. " +
                "Create one with the write:statuses scope and set MASTODON_ACCESS_TOKEN or the account's access_token credential.", code),
            403 => PublishOutcome.Permanent(
                $"Mastodon does not allow this account to post (HTTP 403){said}: the account may be disabled, unconfirmed or " +
                "unapproved, or the token lacks the write:statuses scope.", code),
            404 => PublishOutcome.Permanent(
                $"Mastodon found no such record (HTTP 404){said}: the status replied to was deleted or is not visible, or the " +
                "account's base URL is not a Mastodon instance.", code),
            422 => PublishOutcome.Permanent($"Mastodon refused the status (HTTP 422){said}.", code),
            429 => PublishOutcome.RateLimited($"Mastodon rate limit reached (HTTP 429){said}.", retryAfter, code),
            >= 500 => HttpOutcomes.ServerErrorOnCreate("Mastodon", code, Message(body)),
            _ => PublishOutcome.Permanent($"Mastodon refused the status (HTTP {code}){said}.", code),
        };
    }

    /// <summary>
    /// The wait until <c>X-RateLimit-Reset</c>, which Mastodon sends as an ISO 8601 timestamp such as
    /// <c>2024-01-01T12:05:00.000000Z</c>, not epoch seconds (docs/platforms.md, Mastodon, "Rate limits"); null when
    /// absent or unreadable.
    /// </summary>
    public static TimeSpan? UntilReset(string? header, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(header) ||
            !DateTimeOffset.TryParse(header.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var reset))
        {
            return null;
        }

        // A reset absurdly far away is capped: it must not park the account for years.
        var wait = reset - now;
        return wait >= HttpOutcomes.MaxWait ? HttpOutcomes.MaxWait : HttpOutcomes.Cap(wait);
    }

    /// <summary>The <c>error</c> of Mastodon's error body, or null.</summary>
    public static string? Message(string? body) => PlatformHttp.StringProperty(body, "error");

    private static string Quote(string? said) => string.IsNullOrEmpty(said) ? "" : $": {said}";
}
