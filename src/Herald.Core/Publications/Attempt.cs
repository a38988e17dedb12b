using Herald.Platforms;

namespace Herald.Publications;

/// <summary>One try at publishing: when, how it ended, and why.</summary>
public sealed class Attempt
{
    public long Id { get; init; }

    public PublicationId PublicationId { get; init; }

    /// <summary>The account the attempt was made with (the publication's), so "how did this account's last attempt end?" is one lookup.</summary>
    public required AccountId AccountId { get; init; }

    /// <summary>1 for the first try.</summary>
    public int Number { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset EndedAt { get; init; }

    public PublishOutcomeKind Outcome { get; init; }

    public int? HttpStatus { get; init; }

    public TimeSpan Duration => EndedAt - StartedAt;

    /// <summary>A sanitised message: no credentials, no stack trace.</summary>
    public string? Error { get; init; }
}
