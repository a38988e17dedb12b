using Herald.Workers;

namespace Herald.Engine;

/// <summary>
/// A worker's hold on a publication, measured on the monotonic clock from just before the lease was written: no
/// wall clock of this machine or another can make an attempt outlive it. An attempt starts only when a whole
/// <see cref="WorkerOptions.AttemptTimeout"/> fits in what is left, less a safety margin, so no other worker can
/// take the publication over while a request may still be on its way.
/// </summary>
public sealed class AttemptLease
{
    private readonly WorkerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly long _started;
    private readonly TimeSpan _length;

    private AttemptLease(WorkerOptions options, TimeProvider timeProvider, TimeSpan length)
    {
        _options = options;
        _timeProvider = timeProvider;
        _started = timeProvider.GetTimestamp();
        _length = length;
    }

    /// <summary>Starts measuring a lease of <see cref="WorkerOptions.LeaseDuration"/>; call it before the lease is written.</summary>
    public static AttemptLease Start(WorkerOptions options, TimeProvider timeProvider) => new(options, timeProvider, options.LeaseDuration);

    /// <summary>
    /// Starts measuring a lease that is certain to last <paramref name="length"/> from now (at most
    /// <see cref="WorkerOptions.LeaseDuration"/>); call it before the lease is written or kept.
    /// </summary>
    public static AttemptLease Start(WorkerOptions options, TimeProvider timeProvider, TimeSpan length) =>
        new(options, timeProvider, length < options.LeaseDuration ? length : options.LeaseDuration);

    /// <summary>What is left of the lease, less the safety margin.</summary>
    public TimeSpan Usable => _length - _timeProvider.GetElapsedTime(_started) - Margin;

    /// <summary>True when a whole attempt still fits in the lease.</summary>
    public bool CanStartAttempt => Usable >= _options.AttemptTimeout;

    /// <summary>
    /// Half the gap between the lease and the attempt timeout, at most 10 s: room for the outcome's write and for a
    /// slow database round trip after the budget ran out.
    /// </summary>
    private TimeSpan Margin => SafetyMargin(_options);

    /// <summary>The part of a lease no attempt may use: half the gap between the lease and the attempt timeout, at most 10 s.</summary>
    public static TimeSpan SafetyMargin(WorkerOptions options) =>
        TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(10).Ticks, (options.LeaseDuration - options.AttemptTimeout).Ticks / 2));

    /// <summary>A token that fires when this part of the attempt must end: the attempt timeout, or what is left of the lease.</summary>
    public AttemptBudget NewBudget(TimeProvider timeProvider, CancellationToken abandon = default)
    {
        var usable = Usable;
        var budget = usable < _options.AttemptTimeout ? usable : _options.AttemptTimeout;
        return new AttemptBudget(budget > TimeSpan.Zero ? budget : TimeSpan.FromMilliseconds(1), timeProvider, abandon);
    }
}

/// <summary>A token that fires when the budget runs out (on the given clock's timers) or the caller abandons the attempt.</summary>
public sealed class AttemptBudget : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;

    private readonly IDisposable _deadline;

    internal AttemptBudget(TimeSpan budget, TimeProvider timeProvider, CancellationToken abandon)
    {
        _timer = new CancellationTokenSource(budget, timeProvider);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(_timer.Token, abandon);
        // Checked synchronously before each platform request: a timer may not have fired yet after a freeze.
        _deadline = AttemptDeadline.Enter(timeProvider, budget);
    }

    public CancellationToken Token => _linked.Token;

    public void Dispose()
    {
        _deadline.Dispose();
        _linked.Dispose();
        _timer.Dispose();
    }
}
