using System.Globalization;
using Herald.Platforms.Http;

namespace Herald.Platforms.Threads;

/// <summary>
/// Threads' error classifier (docs/platforms.md, Threads, "Errors"): maps a Graph API answer that is not a success to an
/// outcome by its error <c>code</c> and <c>error_subcode</c>, since Meta's HTTP statuses for them are not
/// reliable (400 and 403 for nearly everything). Transport failures are classified by <c>HttpOutcomes</c>.
/// </summary>
internal static class ThreadsErrors
{
    /// <summary>Code 24 with subcode 4279009: the container cannot be found yet, usual right after it was created.</summary>
    public const int NotFoundCode = 24;

    public const int NotFoundSubcode = 4279009;

    /// <summary>The name Threads gives a post with more than 5 links since 2025-12-22 (docs/platforms.md, Threads, "Limits").</summary>
    public const string LinkLimitExceeded = "THREADS_API__LINK_LIMIT_EXCEEDED";

    private const string TokenVariable = "THREADS_ACCESS_TOKEN";

    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The answer body, a Graph error or anything a proxy sends.</param>
    /// <param name="retryAfter">The Retry-After header, if any (Threads documents no rate-limit headers).</param>
    public static PublishOutcome Classify(int status, string? body, TimeSpan? retryAfter)
    {
        var error = Parse(body);
        var said = Describe(error);
        if (body?.Contains(LinkLimitExceeded, StringComparison.Ordinal) == true)
        {
            return PublishOutcome.Permanent(
                $"Threads refused the post: it has more than 5 links ({LinkLimitExceeded}){said}. A post may link at most 5 unique addresses.", status);
        }

        return error?.Code switch
        {
            NotFoundCode when error.Subcode == NotFoundSubcode => PublishOutcome.Transient(
                $"Threads could not find the container yet (error 24, subcode 4279009){said}; this is usual right after it was created and passes.", status),
            1 or 2 => PublishOutcome.Transient($"Threads had a temporary problem (error {error.Code}){said}.", status),
            4 or 17 => PublishOutcome.RateLimited($"Threads asked Herald to slow down (error {error.Code}){said}.", retryAfter, status),
            190 => PublishOutcome.Permanent(TokenAdvice(error.Subcode, said), status),
            10 or (>= 200 and <= 299) => PublishOutcome.Permanent(
                $"Threads refused the call for lack of permission (error {error.Code}){said}: the token needs threads_basic and " +
                "threads_content_publish, and threads_manage_replies to publish a thread.", status),
            100 => PublishOutcome.Permanent($"Threads refused a parameter (error 100{Subcode(error)}){said}.", status),
            { } code when status >= 500 => PublishOutcome.Transient($"Threads had a server error (HTTP {status}, error {code}){said}.", status),
            { } code => PublishOutcome.Permanent($"Threads refused the call (HTTP {status}, error {code}{Subcode(error)}){said}.", status),
            null => status switch
            {
                429 => PublishOutcome.RateLimited($"Threads rate limit reached (HTTP 429){said}.", retryAfter, status),
                >= 500 => PublishOutcome.Transient($"Threads had a server error (HTTP {status}).", status),
                401 => PublishOutcome.Permanent(TokenAdvice(null, ""), status),
                _ => PublishOutcome.Permanent($"Threads answered HTTP {status} without a Graph error.", status),
            },
        };
    }

    /// <summary>The Graph error object, or null when the body is not one (a proxy's page, a bare status).</summary>
    public static GraphError? Parse(string? body) =>
        string.IsNullOrWhiteSpace(body) ? null : PlatformHttp.TryDeserialize<GraphErrorAnswer>(body)?.Error;

    /// <summary>Error 24 / 4279009: the container is not visible yet — wait and look again.</summary>
    public static bool IsNotFoundYet(GraphError? error) => error is { Code: NotFoundCode, Subcode: NotFoundSubcode };

    /// <summary>
    /// Codes 1 and 2 are Meta's "unknown" and "temporary" errors: the call may have been carried out
    /// before it failed, like a 5xx.
    /// </summary>
    public static bool MayHaveTakenEffect(GraphError? error) => error?.Code is 1 or 2;

    private static string TokenAdvice(int? subcode, string said)
    {
        var why = subcode switch
        {
            463 => "it has expired",
            460 => "the password of the account changed since it was issued",
            458 => "the user removed the app",
            467 => "it is not valid",
            _ => "it is wrong or expired",
        };
        return $"Threads refused the access token (error 190{(subcode is null ? "" : $", subcode {subcode}")}): {why}{said}. " +
               "Long-lived Threads tokens last 60 days: get a new one (or refresh it before it expires) and set " +
               $"{TokenVariable} or the account's access_token credential.";
    }

    private static string Describe(GraphError? error)
    {
        if (error is null)
        {
            return "";
        }

        var words = new[] { error.UserTitle, error.UserMessage ?? error.Message }
            .Where(w => !string.IsNullOrWhiteSpace(w))
            .Select(w => w!.Trim())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var trace = string.IsNullOrEmpty(error.TraceId) ? "" : $" (fbtrace_id {error.TraceId})";
        return words.Count == 0 ? trace : $": {string.Join(" — ", words)}{trace}";
    }

    private static string Subcode(GraphError error) =>
        error.Subcode is { } subcode ? string.Create(CultureInfo.InvariantCulture, $", subcode {subcode}") : "";
}
