using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Herald.Platforms.Http;

namespace Herald.Platforms.LinkedIn;

/// <summary>
/// LinkedIn's error classifier (docs/platforms.md, LinkedIn, "Errors"): maps an answer of the Posts API that is not a
/// success to an outcome; a 5xx is Unknown, since the post may exist. Transport failures are classified by <c>HttpOutcomes</c>.
/// </summary>
internal static partial class LinkedInErrors
{
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The answer body, in either of LinkedIn's two error shapes.</param>
    /// <param name="retryAfter">The Retry-After header, if LinkedIn sent one.</param>
    /// <param name="version">The LinkedIn-Version Herald sent, for the 426 message.</param>
    /// <param name="now">The current time: without Retry-After, a 429 waits for the daily reset at midnight UTC.</param>
    public static PublishOutcome Classify(HttpStatusCode status, string? body, TimeSpan? retryAfter, string version, DateTimeOffset now)
    {
        var code = (int)status;
        var said = Message(body);
        return code switch
        {
            401 => PublishOutcome.Permanent(
                "LinkedIn refused the access token (HTTP 401): it is wrong or expired (member tokens last about 60 days). " +
                "Get a new one and set LINKEDIN_ACCESS_TOKEN or the account's access_token credential.", code),
            403 => PublishOutcome.Permanent(
                $"LinkedIn refused the post (HTTP 403){Quote(said)}: the token needs the w_member_social permission " +
                "(w_organization_social for a page), and author_urn must be the token's member or a page it administers.", code),
            422 when DuplicateOf(body) is { } urn => PublishOutcome.Published(urn, PostUrl(urn), code),
            426 => PublishOutcome.Permanent(
                $"LinkedIn no longer serves API version {version} (HTTP 426){Quote(said)}: set Herald:LinkedIn:Version " +
                "to a current version (YYYYMM, at most about a year old).", code),
            429 => PublishOutcome.RateLimited(
                $"LinkedIn rate limit reached (HTTP 429){Quote(said)}.", retryAfter ?? UntilMidnightUtc(now), code),
            >= 500 => HttpOutcomes.ServerErrorOnCreate("LinkedIn", code, said),
            _ => PublishOutcome.Permanent($"LinkedIn refused the post (HTTP {code}){Quote(said)}.", code),
        };
    }

    /// <summary>
    /// The URN of the post that a 422 <c>DUPLICATE_POST</c> names ("Content is a duplicate of urn:li:share:…"):
    /// the same text was already posted, so that post is this publication's.
    /// </summary>
    public static string? DuplicateOf(string? body)
    {
        if (body is null || !body.Contains("DUPLICATE_POST", StringComparison.Ordinal))
        {
            return null;
        }

        var match = PostUrn().Match(Message(body) ?? body);
        return match.Success ? match.Value : null;
    }

    /// <summary>The public address of a post: LinkedIn returns none, the feed URL is built from the URN.</summary>
    public static Uri PostUrl(string urn) => new($"https://www.linkedin.com/feed/update/{urn}/");

    /// <summary>The <c>message</c> of either error shape.</summary>
    public static string? Message(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                   document.RootElement.TryGetProperty("message", out var message) &&
                   message.ValueKind == JsonValueKind.String
                ? message.GetString()?.Trim()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static TimeSpan UntilMidnightUtc(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return new DateTimeOffset(utc.Date.AddDays(1), TimeSpan.Zero) - utc;
    }

    private static string Quote(string? said) => string.IsNullOrEmpty(said) ? "" : $": {said}";

    [GeneratedRegex(@"urn:li:(?:share|ugcPost):\d+", RegexOptions.CultureInvariant)]
    private static partial Regex PostUrn();
}
