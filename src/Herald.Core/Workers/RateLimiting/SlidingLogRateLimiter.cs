using System.Threading.RateLimiting;

namespace Herald.Workers.RateLimiting;

/// <summary>
/// The in-process limiter (embedded mode): a sliding log on an injected <see cref="TimeProvider"/> (the BCL's
/// window limiters keep their own clock). Slots in flight count until they complete; completed ones for one
/// window after completion.
/// </summary>
internal sealed class SlidingLogRateLimiter(RateLimitRule rule, TimeProvider timeProvider) : PublishRateLimiter
{
    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _completed = new();
    private int _inFlight;
    private DateTimeOffset _parkedUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _idleSince;

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                Prune(timeProvider.GetUtcNow());
                return _inFlight == 0 && _completed.Count == 0 ? timeProvider.GetUtcNow() - _idleSince : null;
            }
        }
    }

    public override RateLimiterStatistics GetStatistics()
    {
        lock (_lock)
        {
            Prune(timeProvider.GetUtcNow());
            return new RateLimiterStatistics { CurrentAvailablePermits = Math.Max(0, rule.Permits - _inFlight - _completed.Count) };
        }
    }

    public override ValueTask ParkAsync(DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (until > _parkedUntil)
            {
                _parkedUntil = until;
            }
        }

        return ValueTask.CompletedTask;
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitCount, 1);
        // A thread of more parts than the window allows takes the whole window: it still goes out, one part a request.
        var wanted = Math.Min(permitCount, rule.Permits);
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            Prune(now);
            if (_parkedUntil > now)
            {
                return Denied(_parkedUntil - now);
            }

            if (_inFlight + _completed.Count + wanted <= rule.Permits)
            {
                _inFlight += wanted;
                return new Granted(this, wanted);
            }

            // Completed slots free oldest first: wait for as many as are missing. Slots still in flight free no sooner
            // than a window from now.
            var missing = _inFlight + _completed.Count + wanted - rule.Permits;
            return Denied(missing <= _completed.Count ? _completed.ElementAt(missing - 1) + rule.Window - now : rule.Window);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Free(int permits, bool used)
    {
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            _inFlight -= permits;
            for (var i = 0; used && i < permits; i++)
            {
                _completed.Enqueue(now);
            }

            _idleSince = now;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        while (_completed.Count > 0 && _completed.Peek() + rule.Window <= now)
        {
            _completed.Dequeue();
        }
    }

    private sealed class Granted(SlidingLogRateLimiter limiter, int permits) : ReturnableLease
    {
        protected override void Free(bool used) => limiter.Free(permits, used);
    }
}

/// <summary>One <see cref="SlidingLogRateLimiter"/> per (platform, account), kept in memory.</summary>
internal sealed class InMemoryPublishRateLimiters(RateLimitPolicies policies, TimeProvider timeProvider) : IPublishRateLimiters
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PublishRateLimiter> _limiters = new(StringComparer.Ordinal);

    public PublishRateLimiter? For(string platform, AccountId account)
    {
        if (policies.For(platform) is not { } rule)
        {
            return null;
        }

        return _limiters.GetOrAdd($"{platform}:{account}", _ => new SlidingLogRateLimiter(rule, timeProvider));
    }
}
