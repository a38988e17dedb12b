using System.Linq.Expressions;
using Herald.Platforms;
using Herald.Publications;

namespace Herald.Server.Publications;

/// <summary>
/// A publication as lists show it: every column a list or the API's publication shows, read without the stored
/// payload (the rendered post, often kilobytes), the lease and the idempotency key, which no list shows. Lists
/// project to it in the query (<see cref="Columns"/>), so a page of 50 long articles reads 50 short rows.
/// </summary>
public sealed record PublicationSummary(
    PublicationId Id,
    ContentId ContentId,
    AccountId AccountId,
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
    /// <summary>The projection a query selects: the database sends these columns only.</summary>
    public static readonly Expression<Func<Publication, PublicationSummary>> Columns = p => new PublicationSummary(
        p.Id, p.ContentId, p.AccountId, p.Platform, p.Status, p.ScheduledAt, p.TimeZone, p.AttemptCount, p.RetryCount, p.MaxRetries,
        p.NextAttemptAt, p.LastErrorKind, p.LastError, p.ExternalId, p.Url, p.PublishedAt, p.CreatedAt, p.UpdatedAt);

    private static readonly Func<Publication, PublicationSummary> OfLoaded = Columns.Compile();

    /// <summary>The summary of a publication already loaded whole.</summary>
    public static PublicationSummary Of(Publication publication) => OfLoaded(publication);
}
