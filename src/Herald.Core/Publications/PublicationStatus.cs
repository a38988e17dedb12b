namespace Herald.Publications;

/// <summary>Where a publication is in its life (docs/architecture.md, "Publication status").</summary>
public enum PublicationStatus
{
    Scheduled = 0,
    Publishing = 1,
    Published = 2,
    RetryScheduled = 3,
    Failed = 4,
    Cancelled = 5,
    AwaitingManualAction = 6,
    NeedsReview = 7,
}
