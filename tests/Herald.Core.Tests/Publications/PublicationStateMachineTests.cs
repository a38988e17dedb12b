using Herald.Platforms;
using Herald.Publications;

namespace Herald.Core.Tests.Publications;

public sealed class PublicationStateMachineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<PublicationStatus, PublicationStatus> LegalTransitions() => new()
    {
        { PublicationStatus.Scheduled, PublicationStatus.Publishing },
        { PublicationStatus.Scheduled, PublicationStatus.Cancelled },
        { PublicationStatus.Scheduled, PublicationStatus.Scheduled },
        { PublicationStatus.RetryScheduled, PublicationStatus.Publishing },
        { PublicationStatus.RetryScheduled, PublicationStatus.Cancelled },
        { PublicationStatus.Publishing, PublicationStatus.Published },
        { PublicationStatus.Publishing, PublicationStatus.RetryScheduled },
        { PublicationStatus.Publishing, PublicationStatus.Failed },
        { PublicationStatus.Publishing, PublicationStatus.AwaitingManualAction },
        { PublicationStatus.Publishing, PublicationStatus.NeedsReview },
        { PublicationStatus.Publishing, PublicationStatus.Scheduled },
        { PublicationStatus.AwaitingManualAction, PublicationStatus.Published },
        { PublicationStatus.AwaitingManualAction, PublicationStatus.Cancelled },
        { PublicationStatus.NeedsReview, PublicationStatus.Published },
        { PublicationStatus.NeedsReview, PublicationStatus.Scheduled },
        { PublicationStatus.Failed, PublicationStatus.Scheduled },
        { PublicationStatus.Cancelled, PublicationStatus.Scheduled },
    };

    public static TheoryData<PublicationStatus, PublicationStatus> IllegalTransitions() => new()
    {
        { PublicationStatus.Scheduled, PublicationStatus.Published },
        { PublicationStatus.Scheduled, PublicationStatus.Failed },
        { PublicationStatus.Published, PublicationStatus.Publishing },
        { PublicationStatus.Published, PublicationStatus.Scheduled },
        { PublicationStatus.Published, PublicationStatus.Cancelled },
        { PublicationStatus.Failed, PublicationStatus.Published },
        { PublicationStatus.Cancelled, PublicationStatus.Publishing },
        { PublicationStatus.Publishing, PublicationStatus.Cancelled },
        { PublicationStatus.AwaitingManualAction, PublicationStatus.Publishing },
        { PublicationStatus.RetryScheduled, PublicationStatus.Published },
        { PublicationStatus.NeedsReview, PublicationStatus.Publishing },
    };

    [Theory]
    [MemberData(nameof(LegalTransitions))]
    public void IsAllowed_LegalTransition_IsTrue(PublicationStatus from, PublicationStatus to) =>
        Assert.True(PublicationStateMachine.IsAllowed(from, to));

    [Theory]
    [MemberData(nameof(IllegalTransitions))]
    public void EnsureAllowed_IllegalTransition_ThrowsNamingBothStatuses(PublicationStatus from, PublicationStatus to)
    {
        var id = PublicationId.New();

        var ex = Assert.Throws<IllegalTransitionException>(() => PublicationStateMachine.EnsureAllowed(id, from, to));

        Assert.Equal(from, ex.From);
        Assert.Equal(to, ex.To);
        Assert.Contains($"from {from} to {to}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryStatus_HasAnEntry()
    {
        foreach (var status in Enum.GetValues<PublicationStatus>())
        {
            Assert.NotNull(PublicationStateMachine.AllowedFrom(status));
        }
    }

    [Fact]
    public void MarkPublished_OnScheduledPublication_IsRefusedAndChangesNothing()
    {
        var publication = NewPublication();
        var version = publication.Version;

        Assert.Throws<IllegalTransitionException>(() => publication.MarkPublished("1", null, Now));

        Assert.Equal(PublicationStatus.Scheduled, publication.Status);
        Assert.Null(publication.ExternalId);
        Assert.Equal(version, publication.Version);
    }

    [Fact]
    public void Cancel_PublishedPublication_IsRefused()
    {
        var publication = NewPublication();
        publication.BeginAttempt("worker-1", Now.AddMinutes(5), Now);
        publication.MarkPublished("42", new Uri("https://dev.to/a/b"), Now);

        var ex = Assert.Throws<IllegalTransitionException>(() => publication.Cancel(Now));

        Assert.Contains("Published is final", ex.Message, StringComparison.Ordinal);
        Assert.Equal(PublicationStatus.Published, publication.Status);
    }

    [Fact]
    public void RetryThenPublish_RecordsCountsIdAndUrl()
    {
        var publication = NewPublication();

        publication.BeginAttempt("w", Now.AddMinutes(5), Now);
        publication.ScheduleRetry(Now.AddMinutes(1), PublishOutcomeKind.Transient, "503 from Dev.to", Now);
        publication.BeginAttempt("w", Now.AddMinutes(6), Now.AddMinutes(1));
        publication.MarkPublished("42", new Uri("https://dev.to/herald/post"), Now.AddMinutes(1));

        Assert.Equal(PublicationStatus.Published, publication.Status);
        Assert.Equal(2, publication.AttemptCount);
        Assert.Equal(1, publication.RetryCount);
        Assert.Equal("42", publication.ExternalId);
        Assert.Null(publication.LastError);
        Assert.Null(publication.LeaseOwner);
        Assert.Equal(Now.AddMinutes(1), publication.PublishedAt);
    }

    [Fact]
    public void ManualPlatform_KeepsDraftUntilMarkedPosted()
    {
        var publication = NewPublication();
        publication.BeginAttempt("w", Now.AddMinutes(5), Now);

        publication.AwaitManualAction("🚀 Hello", Now);
        Assert.Equal(PublicationStatus.AwaitingManualAction, publication.Status);
        Assert.Equal("🚀 Hello", publication.Payload);

        publication.MarkPosted(new Uri("https://www.linkedin.com/feed/update/urn:li:share:1/"), Now);
        Assert.Equal(PublicationStatus.Published, publication.Status);
    }

    [Fact]
    public void PersonsActions_WhileAWorkerIsPublishing_AreRefusedAndChangeNothing()
    {
        // Regression: `herald retry` on a publication still being sent made it due again, and a second worker sent it twice.
        var publication = NewPublication();
        publication.BeginAttempt("w", Now.AddMinutes(5), Now);
        var version = publication.Version;

        var retry = Assert.Throws<IllegalTransitionException>(() => publication.RetryNow(Now));
        Assert.Throws<IllegalTransitionException>(() => publication.Reschedule(Now.AddHours(1), "UTC", Now));
        Assert.Throws<IllegalTransitionException>(() => publication.MarkPosted(null, Now));

        Assert.Contains("A worker is publishing it now", retry.Message, StringComparison.Ordinal);
        Assert.Equal(PublicationStatus.Publishing, publication.Status);
        Assert.Equal(version, publication.Version);
    }

    [Fact]
    public void RetryNow_ScheduledOrCancelled_IsRefusedAndChangesNothing()
    {
        // New-user finding: `herald retry` on a post scheduled for tomorrow (or a cancelled one) sent it at once.
        var scheduled = Publication.Create(ContentId.New(), AccountId.New(), "devto", Now.AddDays(1), "UTC", 3, Now);
        var cancelled = NewPublication();
        cancelled.Cancel(Now);
        var versions = (scheduled.Version, cancelled.Version);

        var notYet = Assert.Throws<IllegalTransitionException>(() => scheduled.RetryNow(Now));
        var gone = Assert.Throws<IllegalTransitionException>(() => cancelled.RetryNow(Now));

        Assert.Contains("scheduled time", notYet.Message, StringComparison.Ordinal);
        Assert.Contains("reschedule", gone.Message, StringComparison.Ordinal);
        Assert.Equal(Now.AddDays(1), scheduled.NextAttemptAt);
        Assert.Equal(versions, (scheduled.Version, cancelled.Version));
    }

    [Fact]
    public void Uncertainty_SurvivesDeferralAndRetry_AndOnlyAnAnswerOrAPersonsCheckClearsIt()
    {
        // M1 and the "no path can lose it": the mark set when a send starts outlives every hand-back.
        var publication = NewPublication();
        publication.BeginAttempt("w", Now.AddMinutes(5), Now);
        publication.BeginSend(Now);
        publication.Defer(Now, attemptWasCounted: true, Now);
        Assert.Equal(Now, publication.UncertainSince);

        publication.BeginAttempt("w2", Now.AddMinutes(5), Now);
        publication.ScheduleRetry(Now.AddMinutes(1), PublishOutcomeKind.Transient, "later", Now);
        publication.RetryNow(Now);
        Assert.Equal(Now, publication.UncertainSince);

        publication.BeginAttempt("w3", Now.AddMinutes(5), Now);
        publication.ResolveUncertainty();
        Assert.Null(publication.UncertainSince);

        // A person who was asked to check and says "retry" has answered: the post is not there.
        publication.BeginSend(Now);
        publication.FlagForReview("cannot tell", Now);
        publication.RetryNow(Now);
        Assert.Null(publication.UncertainSince);
    }

    [Fact]
    public void Defer_WhilePublishing_GoesBackToTheQueueWithoutUsingTheAttempt()
    {
        var publication = NewPublication();
        publication.BeginAttempt("w", Now.AddMinutes(5), Now);

        publication.Defer(Now.AddSeconds(30), attemptWasCounted: true, Now);

        Assert.Equal(PublicationStatus.Scheduled, publication.Status);
        Assert.Equal(0, publication.AttemptCount);
        Assert.Equal(Now.AddSeconds(30), publication.NextAttemptAt);
    }

    [Fact]
    public void Create_StoresUtcInstantAndZoneAndStableKey()
    {
        var berlin = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(1));

        var publication = Publication.Create(ContentId.New(), AccountId.New(), "devto", berlin, "Europe/Berlin", 3, Now);

        Assert.Equal(TimeSpan.Zero, publication.ScheduledAt.Offset);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), publication.ScheduledAt);
        Assert.Equal("Europe/Berlin", publication.TimeZone);
        Assert.StartsWith("herald-", publication.IdempotencyKey, StringComparison.Ordinal);
        Assert.Equal(publication.ScheduledAt, publication.NextAttemptAt);
    }

    private static Publication NewPublication() =>
        Publication.Create(ContentId.New(), AccountId.New(), "devto", Now, "UTC", 3, Now);
}
