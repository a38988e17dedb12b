using Herald.Platforms;
using Herald.Publications;

namespace Herald.Storage.Queue;

/// <summary>
/// The queue's SQL that both dialects share, and the one place a status is written into SQL: the claim and
/// next-wake queries and the partial indexes' filters are built from these enum values, never from literals (each
/// dialect's own statements are <see cref="PostgresQueueSql"/> and <see cref="SqliteQueueSql"/>). Which statuses a
/// claim takes is the state machine's rule (only these may move to <see cref="PublicationStatus.Publishing"/>); a
/// test compares the two, so a new transition into Publishing cannot be forgotten here.
/// </summary>
internal static class QueueSql
{
    /// <summary>Statuses a claim moves to Publishing when their due time has come (fresh claims).</summary>
    public static readonly IReadOnlyList<PublicationStatus> Due = [PublicationStatus.Scheduled, PublicationStatus.RetryScheduled];

    /// <summary>The status of a held lease; a claim takes over an expired one (Publishing → Publishing).</summary>
    public const PublicationStatus Leased = PublicationStatus.Publishing;

    /// <summary>Every status a claim may select: <see cref="Due"/> and <see cref="Leased"/>.</summary>
    public static IReadOnlySet<PublicationStatus> Claimable => new HashSet<PublicationStatus>(Due) { Leased };

    /// <summary><c>status IN ('Scheduled', 'RetryScheduled')</c>: the due index's filter and the fresh claim's.</summary>
    public static readonly string IsDue = $"status IN ({string.Join(", ", Due.Select(Literal))})";

    /// <summary><c>status = 'Publishing'</c>: the lease index's filter and the recovery claim's.</summary>
    public static readonly string IsLeased = $"status = {Literal(Leased)}";

    /// <summary>The status a claim writes.</summary>
    public static readonly string Publishing = Literal(PublicationStatus.Publishing);

    /// <summary>The outcome of the history row a claim writes for an attempt whose lease expired.</summary>
    public static readonly string UnknownOutcome = Literal(PublishOutcomeKind.Unknown);

    /// <summary>The partial index of the rows that can be due, by due time (its filter is <see cref="IsDue"/>).</summary>
    public const string DueIndex = "ix_publications_due";

    /// <summary>The partial index of the leased rows, by lease expiry (its filter is <see cref="IsLeased"/>).</summary>
    public const string LeaseIndex = "ix_publications_lease";

    /// <summary>The earliest due time and the earliest lease expiry: when the dispatcher must look again.</summary>
    public static readonly string NextWake = NextWakeFrom("publications", "publications");

    /// <summary><see cref="NextWake"/>, each half reading the rows named by its source (a dialect may name the index to use).</summary>
    public static string NextWakeFrom(string dueSource, string leaseSource) => $"""
        SELECT
            (SELECT next_attempt_at FROM {dueSource}
             WHERE {IsDue} AND next_attempt_at IS NOT NULL
             ORDER BY next_attempt_at LIMIT 1),
            (SELECT lease_expires_at FROM {leaseSource}
             WHERE {IsLeased} AND lease_expires_at IS NOT NULL
             ORDER BY lease_expires_at LIMIT 1)
        """;

    /// <summary>An enum value as EF Core stores it (<c>HasConversion&lt;string&gt;()</c>): its name, quoted.</summary>
    private static string Literal<T>(T value)
        where T : struct, Enum => $"'{value}'";
}
