using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Herald.Publications;

namespace Herald.Cli.Output;

/// <summary>
/// One publication in <c>herald status --json</c> (and <c>post --json</c>): a stable shape, documented in the README.
/// Times are ISO 8601 in UTC (offset +00:00); absent values are null, never left out.
/// </summary>
internal sealed record PublicationJson(
    string Id,
    string ShortId,
    string Platform,
    string AccountId,
    string Status,
    bool Sandbox,
    DateTimeOffset ScheduledAt,
    string TimeZone,
    DateTimeOffset? NextAttemptAt,
    int AttemptCount,
    int RetryCount,
    int MaxRetries,
    string? Url,
    string? ExternalId,
    DateTimeOffset? PublishedAt,
    string? LastErrorKind,
    string? LastError,
    DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<AttemptJson>? Attempts = null)
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static PublicationJson From(Publication p, string shortId, bool sandbox, Uri? url, IReadOnlyList<Attempt>? attempts = null) => new(
        p.Id.ToString(),
        shortId,
        p.Platform,
        p.AccountId.ToString(),
        p.Status.ToString(),
        sandbox,
        p.ScheduledAt.ToUniversalTime(),
        p.TimeZone,
        p.NextAttemptAt?.ToUniversalTime(),
        p.AttemptCount,
        p.RetryCount,
        p.MaxRetries,
        url?.ToString(),
        p.ExternalId,
        p.PublishedAt?.ToUniversalTime(),
        p.LastErrorKind?.ToString(),
        p.LastError,
        p.CreatedAt.ToUniversalTime(),
        attempts?.Select(a => new AttemptJson(
            a.Number, a.StartedAt.ToUniversalTime(), (long)a.Duration.TotalMilliseconds, a.Outcome.ToString(), a.HttpStatus, a.Error)).ToList());
}

/// <summary>One attempt of a publication in <c>herald status ID --json</c>.</summary>
internal sealed record AttemptJson(int Number, DateTimeOffset StartedAt, long DurationMs, string Outcome, int? HttpStatus, string? Error);
