namespace Herald.Workers;

/// <summary>
/// Tells dispatchers that something became due sooner than they thought: a new or rescheduled publication,
/// a retry, a deferral. In one process a <see cref="DueSignal"/>; with PostgreSQL also <c>NOTIFY herald_due</c>
/// so every process hears it.
/// </summary>
public interface IDueNotifier
{
    Task NotifyAsync(CancellationToken cancellationToken = default);
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
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private volatile bool _waiting;

    /// <summary>True while a waiter sleeps with its timer set (tests on a fake clock advance it only then).</summary>
    public bool IsWaiting => _waiting;

    public void Set()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one pending wake-up is enough.
        }
    }

    public Task NotifyAsync(CancellationToken cancellationToken = default)
    {
        Set();
        return Task.CompletedTask;
    }

    /// <summary>Waits until a signal or <paramref name="until"/> on <paramref name="timeProvider"/>'s clock, read at the last moment.</summary>
    /// <returns>True when signalled.</returns>
    public async Task<bool> WaitUntilAsync(DateTimeOffset until, TimeProvider timeProvider, CancellationToken cancellationToken = default)
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
        _waiting = true;
        await Task.WhenAny(signalled, due);
        _waiting = false;
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
