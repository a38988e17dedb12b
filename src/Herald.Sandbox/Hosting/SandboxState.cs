namespace Herald.Sandbox.Hosting;

internal enum InjectedFault
{
    None,
    ServerError,
    RateLimited,
    DropAfterAccept,
    ServerErrorAfterCommit,
    SlowAfterCommit,
}

/// <summary>A scripted answer for one write: the status, and Retry-After seconds for a 429.</summary>
internal sealed record ScriptedFault(int Status, int RetryAfterSeconds);

/// <summary>Everything the running sandbox holds: clock, randomness, faults, recorded requests and each platform's data.</summary>
public sealed class SandboxState
{
    /// <summary>The first path segment of every simulated platform.</summary>
    public static readonly IReadOnlySet<string> Platforms = SandboxPlatforms.All.Select(platform => platform.Id).ToHashSet(StringComparer.Ordinal);

    private readonly Lock _randomLock = new();
    private readonly Random _random;
    private readonly System.Collections.Concurrent.ConcurrentQueue<ScriptedFault> _scripted = new();
    private SandboxFaults _faults;
    private int _faultsInjected;
    private readonly Dictionary<Type, object> _platformStates = [];

    internal SandboxState(SandboxOptions options)
    {
        TimeProvider = options.TimeProvider;
        _random = options.Random;
        _faults = options.Faults;
        Options = options;
        foreach (var platform in SandboxPlatforms.All)
        {
            var platformState = platform.CreateState(this);
            _platformStates.Add(platformState.GetType(), platformState);
        }
    }

    public SandboxOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public SandboxRecorder Recorder { get; } = new();

    /// <summary>The faults in force now; replacing them takes effect on the next request.</summary>
    public SandboxFaults Faults
    {
        get => Volatile.Read(ref _faults);
        set
        {
            lock (_randomLock)
            {
                _faultsInjected = 0;
                Volatile.Write(ref _faults, value);
            }
        }
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> platform writes with <paramref name="status"/> (no state change),
    /// before any random fault: deterministic scripts for tests (three 503s, then normal service).
    /// </summary>
    public void FailNextWrites(int count, int status, int retryAfterSeconds = 1)
    {
        for (var i = 0; i < count; i++)
        {
            _scripted.Enqueue(new ScriptedFault(status, retryAfterSeconds));
        }
    }

    /// <summary>
    /// The data of the platform whose state is a <typeparamref name="TState"/>; a platform's folder exposes it as a
    /// property of its own (<c>state.DevTo</c>). Written only while the sandbox is built, so reads need no lock.
    /// </summary>
    internal TState Platform<TState>()
        where TState : class =>
        (TState)_platformStates[typeof(TState)];

    internal bool TryTakeScriptedFault(out ScriptedFault fault) => _scripted.TryDequeue(out fault!);

    internal int NextRandom(int minInclusive, int maxExclusive)
    {
        lock (_randomLock)
        {
            return _random.Next(minInclusive, maxExclusive);
        }
    }

    internal InjectedFault DrawFault(SandboxFaults faults)
    {
        double roll;
        lock (_randomLock)
        {
            if (faults.MaxFaults is { } max && _faultsInjected >= max)
            {
                return InjectedFault.None;
            }

            roll = _random.NextDouble();
            if (roll < faults.ServerErrorRate + faults.RateLimitRate + faults.DropAfterAcceptRate +
                faults.ServerErrorAfterCommitRate + faults.SlowAfterCommitRate)
            {
                _faultsInjected++;
            }
        }

        if (roll < faults.ServerErrorRate)
        {
            return InjectedFault.ServerError;
        }

        roll -= faults.ServerErrorRate;
        if (roll < faults.RateLimitRate)
        {
            return InjectedFault.RateLimited;
        }

        roll -= faults.RateLimitRate;
        if (roll < faults.DropAfterAcceptRate)
        {
            return InjectedFault.DropAfterAccept;
        }

        roll -= faults.DropAfterAcceptRate;
        if (roll < faults.ServerErrorAfterCommitRate)
        {
            return InjectedFault.ServerErrorAfterCommit;
        }

        roll -= faults.ServerErrorAfterCommitRate;
        return roll < faults.SlowAfterCommitRate ? InjectedFault.SlowAfterCommit : InjectedFault.None;
    }
}
