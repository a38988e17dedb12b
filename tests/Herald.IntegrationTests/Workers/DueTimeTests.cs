using Herald.Publications;
using Herald.Sandbox.Hosting;
using Herald.Scheduling;
using Herald.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Herald.IntegrationTests.Workers;

/// <summary>A publication scheduled in a time zone goes out at that instant — not before, not at the next poll.</summary>
public sealed class DueTimeTests
{
    [Theory]
    [InlineData("2026-03-29 09:00 Europe/Berlin", "2026-03-29T07:00:00Z")] // the morning the clocks go forward
    [InlineData("2026-10-25 09:00 Europe/Berlin", "2026-10-25T08:00:00Z")] // the morning the clocks go back
    public async Task Worker_ScheduledAcrossDstChange_SendsAtThatInstantNotBefore(string at, string expectedUtc)
    {
        var expected = DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture);
        var clock = new FakeTimeProvider(expected.AddDays(-1));
        await using var database = TestDatabase.Sqlite();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = clock });
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), clock);
        var dispatcher = workers.Services.GetRequiredService<Dispatcher>();
        var signal = workers.Services.GetRequiredService<DueSignal>();

        var when = ScheduleTime.Parse(at, clock);
        Assert.Equal(expected, when.Utc);
        Assert.Equal("Europe/Berlin", when.TimeZone);
        var id = (await workers.ScheduleAsync(Articles.New("Across DST"), Articles.DevTo(sandbox), when))[0].Id;

        // Scheduling a day ahead does not wake a dispatcher whose timer is set sooner (its safety poll). One second
        // before: the dispatcher wakes, claims it (it falls due within HoldAhead, 2 s) and holds it ready, unsent.
        await WaitUntilAsync(() => signal.IsWaiting);
        var wakeUps = dispatcher.WakeUps;
        clock.Advance(expected - TimeSpan.FromSeconds(1) - clock.GetUtcNow());
        await WaitUntilAsync(() => dispatcher.WakeUps > wakeUps && signal.IsWaiting);
        await workers.WaitForAsync(id, p => p.Status == PublicationStatus.Publishing && p.LeaseOwner!.StartsWith("run-", StringComparison.Ordinal));
        // The sandbox stamps each request with this clock: a send before the last tick would arrive stamped earlier.
        clock.Advance(TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1));
        clock.Advance(TimeSpan.FromTicks(1));
        var done = await workers.WaitForAsync(id, p => p.Status == PublicationStatus.Published);

        var post = Assert.Single(sandbox.Requests.For("devto"), r => r.Method == "POST");
        Assert.Equal(expected, post.ReceivedAt);
        Assert.Equal(expected, done.Attempts[0].StartedAt);
    }

    [Fact]
    public async Task Worker_StoppingWhileHoldingAPublication_HandsItBackDueAtItsInstantNotNow()
    {
        var due = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(due.AddMinutes(-1));
        await using var database = TestDatabase.Sqlite();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = clock });
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), clock);
        var signal = workers.Services.GetRequiredService<DueSignal>();
        var id = (await workers.ScheduleAsync(Articles.New("Held, then handed back"), Articles.DevTo(sandbox), ScheduleTime.At(due)))[0].Id;
        await WaitUntilAsync(() => signal.IsWaiting);

        clock.Advance(TimeSpan.FromSeconds(59));
        // Stopped once the runner has it (loaded and prepared, waiting for its instant).
        var executor = workers.Services.GetRequiredService<BatchExecutor>();
        await WaitUntilAsync(() => executor.RunsStarted > 0);
        await workers.StopHostAsync();

        var handedBack = (await workers.GetAsync(id)).Publication;
        Assert.Equal(PublicationStatus.Scheduled, handedBack.Status);
        Assert.Equal(due, handedBack.NextAttemptAt);
        Assert.Equal(0, handedBack.AttemptCount);
        Assert.Null(handedBack.LeaseOwner);
        Assert.Empty(sandbox.Requests.For("devto"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // Generous: the other tests of this run share the machine; the wake-up, not the wait, is what is tested.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The dispatcher did not wake.");
            await Task.Delay(10);
        }
    }
}
