using Herald.Engine;
using Herald.Workers;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Core.Tests.Workers;

/// <summary>How much of a claim's lease a job may find gone and still keep it, and the lease it then measures.</summary>
public sealed class ClaimLeaseTests
{
    [Fact]
    public void ClaimLeaseKeptFor_DefaultSettings_IsOneSecond() =>
        Assert.Equal(TimeSpan.FromSeconds(1), new WorkerOptions().ClaimLeaseKeptFor);

    [Fact]
    public void ClaimLeaseKeptFor_LeaseWithLittleRoom_IsOnlyThatRoomSoAHeldPublicationStillHasAWholeAttempt()
    {
        var options = new WorkerOptions { LeaseDuration = TimeSpan.FromSeconds(30), AttemptTimeout = TimeSpan.FromSeconds(20), HoldAhead = TimeSpan.FromSeconds(4) };
        var room = options.LeaseDuration - options.HoldAhead - options.AttemptTimeout - AttemptLease.SafetyMargin(options);
        Assert.Equal(TimeSpan.FromSeconds(1), room); // 30 − 4 − 20 − 5 (half the gap)

        options.HoldAhead = TimeSpan.FromMilliseconds(4600);
        Assert.Equal(TimeSpan.FromMilliseconds(400), options.ClaimLeaseKeptFor);

        options.HoldAhead = TimeSpan.FromSeconds(5);
        Assert.Equal(TimeSpan.Zero, options.ClaimLeaseKeptFor);
    }

    [Fact]
    public void Start_WithALength_MeasuresThatLengthNeverMoreThanTheLeaseDuration()
    {
        var options = new WorkerOptions();
        var time = new FakeTimeProvider();
        var margin = AttemptLease.SafetyMargin(options);

        Assert.Equal(options.LeaseDuration - TimeSpan.FromSeconds(1) - margin, AttemptLease.Start(options, time, options.LeaseDuration - TimeSpan.FromSeconds(1)).Usable);
        Assert.Equal(options.LeaseDuration - margin, AttemptLease.Start(options, time, TimeSpan.FromHours(1)).Usable);

        var lease = AttemptLease.Start(options, time, TimeSpan.FromMinutes(2));
        time.Advance(TimeSpan.FromSeconds(51));
        Assert.False(lease.CanStartAttempt); // 2 min − 51 s − 10 s margin leaves less than the 1 min attempt
    }
}
