using System.Text.Json;
using Herald.Platforms.Http;

namespace Herald.Platforms.X;

/// <summary>
/// X's error classifier (docs/platforms.md, X, "Errors"): maps an answer that is not a success to an outcome.
/// Transport failures are classified by <c>HttpOutcomes</c>.
/// </summary>
internal static class XErrors
{
    /// <summary>The detail of X's 403 for a repeat of a recent post by the same account.</summary>
    public const string DuplicateDetail = "duplicate content";

    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The answer body: v2 problem JSON, or the legacy <c>{"errors":[{"code","message"}]}</c>.</param>
    /// <param name="rateLimitWait">How long until the limit that was hit resets (<see cref="RateLimitWait"/>).</param>
    /// <param name="unauthorizedAdvice">What to do about a 401: it depends on how the account signs in.</param>
    /// <param name="create">Whether the call creates a post (a 5xx may then have made it) or only reads.</param>
    public static PublishOutcome Classify(int status, string? body, TimeSpan? rateLimitWait, string unauthorizedAdvice, bool create = true)
    {
        var said = Describe(body);
        return status switch
        {
            401 => PublishOutcome.Permanent($"X refused the credentials (HTTP 401){Quote(said)}: {unauthorizedAdvice}", status),
            403 when IsDuplicate(body) => PublishOutcome.Duplicate(
                "X refused the post as duplicate content (HTTP 403): this account already posted exactly this text recently, so " +
                "Herald does not send it again. X does not say which post it was; if it is this publication's, mark the publication posted.", status),
            403 => PublishOutcome.Permanent(
                $"X refused the post (HTTP 403){Quote(said)}. The app needs Read and Write permission, the token the " +
                "tweet.write scope (an app-only token cannot post), and the account must be allowed to post or reply.", status),
            429 => PublishOutcome.RateLimited($"X rate limit reached (HTTP 429){Quote(said)}.", rateLimitWait, status),
            >= 500 when create => HttpOutcomes.ServerErrorOnCreate("X", status, said),
            >= 500 => PublishOutcome.Transient($"X had a server error (HTTP {status}){Quote(said)}.", status),
            _ => PublishOutcome.Permanent($"X refused the post (HTTP {status}){Quote(said)}.", status),
        };
    }

    /// <summary>
    /// When to try again after a 429: the latest reset among the limits that are used up — the window
    /// (<c>x-rate-limit-*</c>) and the 24-hour user and app quotas (<c>x-user-limit-24hour-*</c>,
    /// <c>x-app-limit-24hour-*</c>). X documents no <c>Retry-After</c> (docs/platforms.md, X, "Rate limits"); it is
    /// read only when no reset header came.
    /// </summary>
    public static TimeSpan? RateLimitWait(HttpResponseMessage response, TimeProvider timeProvider)
    {
        TimeSpan? wait = null;
        foreach (var prefix in new[] { "x-rate-limit", "x-user-limit-24hour", "x-app-limit-24hour" })
        {
            var remaining = response.Headers.TryGetValues(prefix + "-remaining", out var values) ? values.FirstOrDefault() : null;
            // The window's reset applies even without a remaining header; a daily quota only when it is used up.
            if (prefix != "x-rate-limit" && remaining != "0")
            {
                continue;
            }

            if (HttpOutcomes.UntilEpochReset(response, prefix + "-reset", timeProvider) is { } reset && (wait is null || reset > wait))
            {
                wait = reset;
            }
        }

        return wait ?? HttpOutcomes.RetryAfter(response, timeProvider);
    }

    /// <summary>Whether the body is X's 403 "You are not allowed to create a Tweet with duplicate content."</summary>
    public static bool IsDuplicate(string? body) =>
        body is not null && body.Contains(DuplicateDetail, StringComparison.OrdinalIgnoreCase);

    /// <summary>The problem's <c>detail</c> (else <c>title</c>) and each <c>errors[].message</c>, joined; null when there is none.</summary>
    public static string? Describe(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var parts = new List<string>();
            if ((Text(root, "detail") ?? Text(root, "title")) is { } detail)
            {
                parts.Add(detail);
            }

            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                parts.AddRange(errors.EnumerateArray()
                    .Select(e => e.ValueKind == JsonValueKind.Object ? Text(e, "message") ?? Text(e, "detail") : null)
                    .OfType<string>());
            }

            if ((Text(root, "error_description") ?? Text(root, "error")) is { } oauthError)
            {
                parts.Add(oauthError);
            }

            var distinct = parts.Distinct(StringComparer.Ordinal).ToList();
            return distinct.Count == 0 ? null : string.Join("; ", distinct);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text.Trim()
            : null;

    private static string Quote(string? said) => string.IsNullOrEmpty(said) ? "" : $": {said}";
}
