using Herald.Workers;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Core.Tests.Workers;

/// <summary>
/// The dispatcher's wake-up signal: a change due after the instant the dispatcher will wake anyway does not wake it;
/// anything sooner, or of unknown due time, does, and a burst of signals is one wake-up.
/// </summary>
public sealed class DueSignalTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Set_DueAfterTheWaitersTimer_LeavesItAsleep()
    {
        var (signal, clock, waiting) = await AsleepUntilAsync(Now.AddSeconds(30));

        signal.Set(Now.AddDays(1));
        signal.Set(Now.AddSeconds(30));

        Assert.False(waiting.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.False(await waiting.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(0, signal.Wakes);
    }

    /// <summary>
    /// An API node has no dispatcher waiting, and every schedule signals it: signals after the first must cost no
    /// exception thrown and caught (they were one per request, about 140 a second under load).
    /// </summary>
    [Fact]
    public async Task Set_ManyTimesWithNobodyWaiting_IsOneWakeUp_AndThrowsNothingInside()
    {
        var signal = new DueSignal();
        var thrown = 0;
        var thread = Environment.CurrentManagedThreadId; // the handler hears the whole process: count this loop's only
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (e.Exception is SemaphoreFullException && Environment.CurrentManagedThreadId == thread)
            {
                Interlocked.Increment(ref thrown);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            for (var i = 0; i < 1_000; i++)
            {
                signal.Set();
            }
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.Equal(0, thrown);
        Assert.Equal(1, signal.Wakes);
        Assert.True(await signal.WaitAsync(TimeSpan.Zero, new FakeTimeProvider(Now)));
        Assert.False(await signal.WaitAsync(TimeSpan.Zero, new FakeTimeProvider(Now))); // the burst was one wake-up
    }

    [Fact]
    public async Task Set_DueBeforeTheWaitersTimer_WakesIt()
    {
        var (signal, _, waiting) = await AsleepUntilAsync(Now.AddSeconds(30));

        signal.Set(Now.AddSeconds(29));

        Assert.True(await waiting.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Set_WithoutDueTime_WakesIt()
    {
        var (signal, _, waiting) = await AsleepUntilAsync(Now.AddSeconds(30));

        signal.Set();

        Assert.True(await waiting.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Set_WhileTheDispatcherIsAwake_IsKeptForItsNextWaitWhateverTheDueTime()
    {
        // Awake (dispatching), the dispatcher may have read the next due time before this change was committed.
        var signal = new DueSignal();
        var clock = new FakeTimeProvider(Now);

        signal.Set(Now.AddDays(1));
        signal.Set(Now.AddDays(2));

        Assert.True(await signal.WaitUntilAsync(Now.AddSeconds(30), clock).WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(1, signal.Wakes);
        Assert.False(await WaitBrieflyAsync(signal, clock));
    }

    private static async Task<(DueSignal Signal, FakeTimeProvider Clock, Task<bool> Waiting)> AsleepUntilAsync(DateTimeOffset until)
    {
        var signal = new DueSignal();
        var clock = new FakeTimeProvider(Now);
        var waiting = signal.WaitUntilAsync(until, clock);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!signal.IsWaiting)
        {
            Assert.True(DateTime.UtcNow < deadline, "The waiter never went to sleep.");
            await Task.Delay(5);
        }

        return (signal, clock, waiting);
    }

    /// <summary>A wait that ends at once on the fake clock unless a signal is pending.</summary>
    private static Task<bool> WaitBrieflyAsync(DueSignal signal, FakeTimeProvider clock) =>
        signal.WaitUntilAsync(clock.GetUtcNow(), clock);
}
