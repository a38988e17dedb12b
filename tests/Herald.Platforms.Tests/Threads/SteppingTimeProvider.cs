using Microsoft.Extensions.Time.Testing;

namespace Herald.Platforms.Tests.Threads;

/// <summary>
/// A fake clock that moves forward by exactly the delay whenever someone starts waiting on it, and remembers
/// every wait: code that backs off on it runs at once, and the test reads the delays it chose.
/// </summary>
internal sealed class SteppingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly List<TimeSpan> _waits = [];

    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_waits)
            {
                return [.. _waits];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_waits)
            {
                _waits.Add(dueTime);
            }

            Advance(dueTime);
        }

        return timer;
    }
}
