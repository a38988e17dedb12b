using Herald.Platforms;
using Herald.Publications;

namespace Herald.Server.Publications;

/// <summary>A publication as the API shows it: one content on one account, its status and what came of it.</summary>
public sealed record PublicationResponse(
    string Id,
    string ContentId,
    string AccountId,
    string Platform,
    PublicationStatus Status,
    DateTimeOffset ScheduledAt,
    string TimeZone,
    int AttemptCount,
    int RetryCount,
    int MaxRetries,
    DateTimeOffset? NextAttemptAt,
    PublishOutcomeKind? LastErrorKind,
    string? LastError,
    string? ExternalId,
    Uri? Url,
    DateTimeOffset? PublishedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    internal static PublicationResponse From(Publication p, PostLinks links) => From(PublicationSummary.Of(p), links);

    internal static PublicationResponse From(PublicationSummary p, PostLinks links) => new(
        p.Id.ToString(), p.ContentId.ToString(), p.AccountId.ToString(), p.Platform, p.Status, p.ScheduledAt, p.TimeZone,
        p.AttemptCount, p.RetryCount, p.MaxRetries, p.NextAttemptAt, p.LastErrorKind, p.LastError, p.ExternalId,
        links.Of(p), p.PublishedAt, p.CreatedAt, p.UpdatedAt);
}

/// <summary>One try: when, how long, how it ended, the platform's HTTP status and the sanitised error.</summary>
public sealed record AttemptResponse(int Number, DateTimeOffset StartedAt, DateTimeOffset EndedAt, double DurationMs, PublishOutcomeKind Outcome, int? HttpStatus, string? Error)
{
    internal static AttemptResponse From(Attempt a) =>
        new(a.Number, a.StartedAt, a.EndedAt, a.Duration.TotalMilliseconds, a.Outcome, a.HttpStatus, a.Error);
}

/// <summary>A publication with every attempt (oldest first), the stored payload, and its content's title and account's name.</summary>
public sealed record PublicationDetailsResponse(
    PublicationResponse Publication,
    string? Title,
    string? AccountName,
    string? Payload,
    IReadOnlyList<AttemptResponse> Attempts);

/// <summary>A page of publications, newest first; <see cref="NextCursor"/> fetches the next page (null on the last).</summary>
public sealed record PublicationPage(IReadOnlyList<PublicationResponse> Items, string? NextCursor);

/// <summary>The body of <c>POST /publications/{id}/reschedule</c>.</summary>
/// <param name="At">A local time (<c>2026-12-01 09:00</c>) read in <paramref name="TimeZone"/>, an ISO 8601 time with an offset, or <c>now</c>.</param>
/// <param name="TimeZone">An IANA zone such as <c>Europe/Berlin</c>; default UTC.</param>
public sealed record RescheduleRequest(string? At, string? TimeZone);

/// <summary>The body of <c>POST /publications/{id}/posted</c>: where the post lives, when it was made by hand.</summary>
public sealed record PostedRequest(string? Url);
