using System.Text.Json;
using Herald.Platforms.Http;

namespace Herald.Platforms.Medium;

/// <summary>
/// Medium's error classifier (docs/platforms.md, Medium, "Errors"): 400, 401 and 403 are permanent; 429 is retried (Medium
/// documents no rate limit); a 5xx is retried on a read but Unknown on a create, where the post may exist.
/// Transport failures are classified by <c>HttpOutcomes</c>.
/// </summary>
internal static class MediumErrors
{
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The answer body, <c>{"errors":[{"message","code"}]}</c>.</param>
    /// <param name="retryAfter">The Retry-After header, if Medium sent one.</param>
    /// <param name="create">Whether the call creates a post (a 5xx may then have made it) or only reads.</param>
    public static PublishOutcome Classify(int status, string? body, TimeSpan? retryAfter, bool create = true)
    {
        var said = Describe(body);
        return status switch
        {
            400 => PublishOutcome.Permanent($"Medium refused the post (HTTP 400){Quote(said)}: a required field is missing or invalid.", status),
            401 => PublishOutcome.Permanent(
                $"Medium refused the integration token (HTTP 401){Quote(said)}: it is wrong or was revoked. Medium issues no new " +
                "integration tokens, so only an existing one can be set (MEDIUM_ACCESS_TOKEN or the account's access_token).", status),
            403 => PublishOutcome.Permanent(
                $"Medium refused the post (HTTP 403){Quote(said)}: the token's user may not publish there.", status),
            429 => PublishOutcome.RateLimited($"Medium rate limit reached (HTTP 429){Quote(said)}.", retryAfter, status),
            >= 500 when create => HttpOutcomes.ServerErrorOnCreate("Medium", status, said),
            >= 500 => PublishOutcome.Transient($"Medium had a server error (HTTP {status}){Quote(said)}.", status),
            _ => PublishOutcome.Permanent($"Medium refused the post (HTTP {status}){Quote(said)}.", status),
        };
    }

    /// <summary>Each <c>errors[].message</c> with its code, joined; null when the body has none.</summary>
    public static string? Describe(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var messages = errors.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                .Select(e => e.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number
                    ? $"{e.GetProperty("message").GetString()} (code {code.GetRawText()})"
                    : e.GetProperty("message").GetString())
                .ToList();
            return messages.Count == 0 ? null : string.Join("; ", messages);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Quote(string? said) => string.IsNullOrEmpty(said) ? "" : $": {said}";
}
