using System.Net;
using Herald.Platforms.Http;

namespace Herald.Platforms.Bluesky;

/// <summary>
/// Bluesky's error classifier (docs/platforms.md, Bluesky, "Errors"): XRPC errors are <c>{"error":"Name","message":"…"}</c>.
/// Transport failures are classified by <c>HttpOutcomes</c>; an expired session is renewed before this is asked.
/// </summary>
internal static class BlueskyErrors
{
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The XRPC error body.</param>
    /// <param name="retryAfter">The wait until <c>RateLimit-Reset</c> (epoch seconds), else Retry-After, when sent.</param>
    public static PublishOutcome Classify(HttpStatusCode status, string? body, TimeSpan? retryAfter)
    {
        var code = (int)status;
        var (name, message) = Read(body);
        var said = Quote(name, message);
        return code switch
        {
            400 when name is "ExpiredToken" or "InvalidToken" => PublishOutcome.Permanent(
                $"Bluesky refused the session even after renewing it (HTTP 400){said}: check the account's identifier and app password.", code),
            400 => PublishOutcome.Permanent($"Bluesky refused the post (HTTP 400){said}.", code),
            401 => PublishOutcome.Permanent(
                $"Bluesky refused the credentials (HTTP 401){said}: check BLUESKY_IDENTIFIER (your handle) and BLUESKY_APP_PASSWORD " +
                "(an app password from Settings → Privacy and security → App passwords, not your account password).", code),
            403 => PublishOutcome.Permanent($"Bluesky does not allow this account to post (HTTP 403){said}.", code),
            413 => PublishOutcome.Permanent($"Bluesky refused the post as too large (HTTP 413){said}.", code),
            429 => PublishOutcome.RateLimited($"Bluesky rate limit reached (HTTP 429){said}.", retryAfter, code),
            >= 500 => PublishOutcome.Transient($"Bluesky had a server error (HTTP {code}){said}.", code),
            _ => PublishOutcome.Permanent($"Bluesky refused the post (HTTP {code}){said}.", code),
        };
    }

    /// <summary>The XRPC error name and message of <paramref name="body"/>, each null when absent.</summary>
    public static (string? Name, string? Message) Read(string? body) =>
        (PlatformHttp.StringProperty(body, "error"), PlatformHttp.StringProperty(body, "message"));

    private static string Quote(string? name, string? message) => (name, message) switch
    {
        (null, null) => "",
        (not null, null) => $": {name}",
        (null, not null) => $": {message}",
        _ => $": {name}: {message}",
    };
}
