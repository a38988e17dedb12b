using System.Collections.Concurrent;

namespace Herald.Sandbox.Hosting;

/// <summary>
/// How the sandbox starts: where it listens, its clock, its randomness and its faults. Each platform's own limits
/// are a section of their own, declared in the platform's folder (<c>options.Mastodon.MaxCharacters</c>).
/// </summary>
public sealed class SandboxOptions
{
    private readonly ConcurrentDictionary<Type, object> _sections = new();

    /// <summary>The loopback port to listen on; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>The sandbox's clock (rate-limit windows, timestamps). Tests pass a FakeTimeProvider.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The source of randomness for fault injection and generated ids; seed it for repeatable runs.</summary>
    public Random Random { get; set; } = new();

    /// <summary>Faults injected into platform endpoints from the start; they can be changed while running.</summary>
    public SandboxFaults Faults { get; set; } = new();

    /// <summary>
    /// Switches off every simulated limit, for benchmarks and soaks: no 429 from a platform's own windows or
    /// quotas, no rate-limit headers on any answer, and Threads' <c>threads_publishing_limit</c> reports no quota,
    /// so a client that obeys what it is told is never held back by the simulator.
    /// </summary>
    public bool DisableRateLimits { get; set; }

    /// <summary>
    /// The platform section of type <typeparamref name="TSection"/>, created with its defaults on first use; a
    /// platform's folder exposes it as a property of its own (<c>options.Threads</c>).
    /// </summary>
    internal TSection Section<TSection>()
        where TSection : class, new() =>
        (TSection)_sections.GetOrAdd(typeof(TSection), static _ => new TSection());
}

/// <summary>
/// Faults injected into every platform endpoint (never into the sandbox's own control endpoints).
/// Rates are probabilities from 0 to 1, drawn per request.
/// </summary>
public sealed record SandboxFaults
{
    /// <summary>Answer 503 without touching the platform's state.</summary>
    public double ServerErrorRate { get; init; }

    /// <summary>Answer 429 with <see cref="RetryAfterSeconds"/> without touching the platform's state.</summary>
    public double RateLimitRate { get; init; }

    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>Accept the request (the post is created) and then drop the connection without an answer.</summary>
    public double DropAfterAcceptRate { get; init; }

    /// <summary>
    /// Let the platform handle the request (a create is stored), then answer 502 or 504 instead of its 2xx,
    /// as a gateway does when the backend committed but its answer was lost. Only 2xx answers are replaced.
    /// </summary>
    public double ServerErrorAfterCommitRate { get; init; }

    /// <summary>
    /// Let the platform handle the request (a create is stored), then hold its 2xx answer for
    /// <see cref="SlowAfterCommitDelay"/> (on the sandbox clock), past a client's timeout.
    /// </summary>
    public double SlowAfterCommitRate { get; init; }

    /// <summary>How long a "commit then slow" answer is held; the client usually gives up first.</summary>
    public TimeSpan SlowAfterCommitDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Wait this long before handling each request.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>
    /// Also inject faults into reads (GET). Off by default: the faults model a flaky write path, and
    /// Herald's reconciliation reads must be able to see what a dropped write created.
    /// </summary>
    public bool IncludeReads { get; init; }

    /// <summary>Only requests whose path contains this (such as <c>/threads_publish</c>) get faults; null for all.</summary>
    public string? PathContains { get; init; }

    /// <summary>
    /// Inject at most this many faults (any of the rates above) from the moment these faults are set, then answer
    /// normally; null for no limit. Makes "fails once, then works" deterministic.
    /// </summary>
    public int? MaxFaults { get; init; }

    public static SandboxFaults None { get; } = new();
}
