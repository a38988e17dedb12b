using System.Net;
using System.Text.Json;
using Herald.Platforms.Http;

namespace Herald.Platforms.DevTo;

/// <summary>
/// Dev.to's error classifier: maps a Forem answer to <c>POST /api/articles</c> that is not a success to an outcome
/// (docs/platforms.md, Dev.to, "Errors"). A 5xx is Unknown (the article may exist); a uniqueness refusal is a duplicate.
/// Transport failures are classified by <c>HttpOutcomes</c>.
/// </summary>
internal static class DevToErrors
{
    public static PublishOutcome Classify(HttpStatusCode status, string? body, TimeSpan? retryAfter)
    {
        var code = (int)status;
        var said = ErrorText(body);
        return code switch
        {
            401 => PublishOutcome.Permanent(
                "Dev.to refused the API key (HTTP 401): check DEVTO_API_KEY or the account's api_key credential, " +
                "and that the Dev.to user is not suspended.", code),
            404 => PublishOutcome.Permanent($"Dev.to answered 404 Not Found{Quote(said)}: check the account's base URL.", code),
            422 when IsDuplicate(said) => PublishOutcome.Duplicate(
                $"Dev.to already has this article (HTTP 422){Quote(said)}: the account holds one with the same title and body, or the " +
                "canonical URL is in use. Herald does not send it again; if it is this publication's, mark the publication posted.", code),
            422 => PublishOutcome.Permanent($"Dev.to refused the article (HTTP 422){Quote(said)}.", code),
            429 => PublishOutcome.RateLimited($"Dev.to rate limit reached (HTTP 429){Quote(said)}.", retryAfter, code),
            >= 500 => HttpOutcomes.ServerErrorOnCreate("Dev.to", code, said),
            _ => PublishOutcome.Permanent($"Dev.to answered HTTP {code}{Quote(said)}.", code),
        };
    }

    /// <summary>
    /// Forem's uniqueness refusals: "Body markdown has already been taken" (same title and body on the account) and
    /// "Canonical url has already been taken".
    /// </summary>
    public static bool IsDuplicate(string? said) => said is not null && said.Contains("has already been taken", StringComparison.OrdinalIgnoreCase);

    /// <summary>Forem's <c>error</c> sentence, if the body is its JSON error shape.</summary>
    public static string? ErrorText(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            var error = JsonSerializer.Deserialize<DevToErrorBody>(body, PlatformHttp.Json);
            return string.IsNullOrWhiteSpace(error?.Error) ? null : error.Error.Trim();
        }
        catch (JsonException)
        {
            // Rack::Attack and proxies answer in plain text or HTML; their body says nothing Herald can use.
            return null;
        }
    }

    private static string Quote(string? said) => said is null ? "" : $": {said}";
}
