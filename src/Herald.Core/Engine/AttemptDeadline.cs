namespace Herald.Engine;

/// <summary>
/// The end of the running attempt's budget, carried with the async flow to every platform request. A worker frozen
/// past its lease (a paused VM, SIGSTOP, a long GC) may resume before its budget's timer has fired; another worker may
/// have taken the publication over meanwhile. Each request checks this on the monotonic clock right before it goes
/// out, so a resumed worker sends nothing more.
/// </summary>
internal static class AttemptDeadline
{
    private static readonly AsyncLocal<(TimeProvider Clock, long Timestamp)?> Current = new();

    /// <summary>True when the running attempt's budget is spent (false outside an attempt).</summary>
    public static bool HasPassed => Current.Value is { } deadline && deadline.Clock.GetTimestamp() >= deadline.Timestamp;

    /// <summary>Sets the deadline for the calls made from here on in this async flow, until disposed.</summary>
    public static IDisposable Enter(TimeProvider clock, TimeSpan budget)
    {
        var previous = Current.Value;
        Current.Value = (clock, clock.GetTimestamp() + (long)(budget.TotalSeconds * clock.TimestampFrequency));
        return new Exit(previous);
    }

    /// <exception cref="OperationCanceledException">The budget is spent: the request must not go out.</exception>
    public static void ThrowIfPassed()
    {
        if (HasPassed)
        {
            throw new OperationCanceledException("The attempt's time budget is spent; the request was not sent.");
        }
    }

    private sealed class Exit((TimeProvider, long)? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
