namespace Herald.Workers;

/// <summary>
/// Tells dispatchers that something became due sooner than they thought: a new or rescheduled publication,
/// a retry, a deferral. In one process a <see cref="DueSignal"/>; with PostgreSQL also <c>NOTIFY herald_due</c>
/// so every process hears it.
/// </summary>
public interface IDueNotifier
{
    /// <summary>
    /// Wakes the dispatchers. With <paramref name="dueAt"/> (the earliest due time of what changed), a dispatcher
    /// already planning to wake by then stays asleep: scheduling posts for tomorrow costs the workers nothing.
    /// </summary>
    Task NotifyAsync(DateTimeOffset? dueAt = null, CancellationToken cancellationToken = default);
}

/// <summary>Hears other processes' <see cref="IDueNotifier"/> (PostgreSQL <c>LISTEN</c>) and wakes this process's dispatcher.</summary>
public interface IDueListener
{
    /// <summary>Listens until <paramref name="cancellationToken"/> fires, reconnecting after failures.</summary>
    Task ListenAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// An auto-reset signal the dispatcher sleeps on: <see cref="Set"/> wakes one waiter, or the next one if
/// nobody waits, so a signal given while the dispatcher was busy is not lost.
/// </summary>
public sealed class DueSignal : IDueNotifier
{
    private const long Awake = long.MinValue;

    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private volatile bool _waiting;

    // While the waiter sleeps on a timer: the earliest due instant (UTC ticks) it is still in time for when it wakes by
    // itself; Awake otherwise.
    private long _sleepingUntil = Awake;

    /// <summary>True while a waiter sleeps with its timer set (tests on a fake clock advance it only then).</summary>
    public bool IsWaiting => _waiting;

    /// <summary>Signals that became wake-ups (the benchmark and tests read it).</summary>
    public long Wakes => Interlocked.Read(ref _wakes);

    private long _wakes;

    /// <summary>
    /// Wakes the waiter — unless <paramref name="dueAt"/> is given and the waiter is asleep with a timer that still
    /// wakes it in time for that instant: it will look then anyway. A waiter that is awake (dispatching) is always signalled,
    /// since it may have read the next due time before this change was committed.
    /// </summary>
    public void Set(DateTimeOffset? dueAt = null)
    {
        if (dueAt is { } due)
        {
            var sleepingUntil = Interlocked.Read(ref _sleepingUntil);
            if (sleepingUntil != Awake && sleepingUntil <= due.UtcTicks)
            {
                return;
            }
        }

        // Already signalled: one pending wake-up is enough (a burst of signals is one wake-up). Looked at first, since
        // a process with no dispatcher (an API node) is signalled by every schedule and would otherwise throw and
        // catch an exception each time; the catch is left for two signals racing past the look together.
        if (_semaphore.CurrentCount > 0)
        {
            return;
        }

        try
        {
            _semaphore.Release();
            Interlocked.Increment(ref _wakes);
        }
        catch (SemaphoreFullException)
        {
        }
    }

    public Task NotifyAsync(DateTimeOffset? dueAt = null, CancellationToken cancellationToken = default)
    {
        Set(dueAt);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Waits until a signal or <paramref name="until"/> on <paramref name="timeProvider"/>'s clock, read at the last
    /// moment. <paramref name="covers"/> (default <paramref name="until"/>): a <see cref="Set"/> for a due instant at or
    /// after it lets the waiter sleep on, since waking by itself it is still in time for it (a dispatcher that claims
    /// ahead of due instants passes its wake-up plus how far ahead it claims).
    /// </summary>
    /// <returns>True when signalled.</returns>
    public async Task<bool> WaitUntilAsync(DateTimeOffset until, TimeProvider timeProvider, CancellationToken cancellationToken = default, DateTimeOffset? covers = null)
    {
        if (_semaphore.Wait(0, CancellationToken.None))
        {
            return true;
        }

        var timeout = until - timeProvider.GetUtcNow();
        if (timeout <= TimeSpan.Zero)
        {
            return false;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signalled = _semaphore.WaitAsync(stop.Token);
        var elapsed = Task.Delay(timeout, timeProvider, stop.Token);
        // The clock may have moved between reading it and arming the timer (a busy machine, a test's clock): the
        // timer would then fire that much too late. Once armed, a look at the clock settles it either way.
        var due = timeProvider.GetUtcNow() >= until ? Task.CompletedTask : elapsed;
        Interlocked.Exchange(ref _sleepingUntil, (covers ?? until).UtcTicks);
        _waiting = true;
        await Task.WhenAny(signalled, due);
        _waiting = false;
        Interlocked.Exchange(ref _sleepingUntil, Awake);
        await stop.CancelAsync();
        try
        {
            await signalled;
            return true;
        }
        catch (OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }

    /// <summary>Waits for a signal or until <paramref name="timeout"/> has passed on <paramref name="timeProvider"/>'s clock.</summary>
    /// <returns>True when signalled.</returns>
    public Task<bool> WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken = default) =>
        WaitUntilAsync(timeProvider.GetUtcNow() + timeout, timeProvider, cancellationToken);
}
