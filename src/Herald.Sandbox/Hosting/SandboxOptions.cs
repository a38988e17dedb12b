namespace Herald.Sandbox.Hosting;

/// <summary>How the sandbox starts: where it listens, its clock, its randomness and its faults.</summary>
public sealed class SandboxOptions
{
    /// <summary>The loopback port to listen on; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>The sandbox's clock (rate-limit windows, timestamps). Tests pass a FakeTimeProvider.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The source of randomness for fault injection and generated ids; seed it for repeatable runs.</summary>
    public Random Random { get; set; } = new();

    /// <summary>Faults injected into platform endpoints from the start; they can be changed while running.</summary>
    public SandboxFaults Faults { get; set; } = new();

    /// <summary>Dev.to's per-user limit on published article creation (docs/platforms.md, Dev.to: 9 per 30 s).</summary>
    public int DevToCreatesPerWindow { get; set; } = 9;

    public TimeSpan DevToCreateWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Posts one LinkedIn member may create per UTC day. LinkedIn publishes no number (docs/platforms.md, LinkedIn,
    /// "Rate limits"); 150 stands in for the member quota an app sees in its Developer Portal.
    /// </summary>
    public int LinkedInPostsPerDay { get; set; } = 150;

    /// <summary>
    /// Posts one X user may create per <see cref="XCreateWindow"/> (docs/platforms.md, X, "Rate limits": the current
    /// per-endpoint table gives 100 per 15 minutes per user).
    /// </summary>
    public int XCreatesPerWindow { get; set; } = 100;

    public TimeSpan XCreateWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an OAuth 2.0 access token the X simulator issues lives (docs/platforms.md, X, "Auth": 2 hours).</summary>
    public TimeSpan XAccessTokenLifetime { get; set; } = TimeSpan.FromHours(2);
    /// <summary>The simulated Mastodon instance's <c>max_characters</c> (upstream default 500); tests may set 1,000.</summary>
    public int MastodonMaxCharacters { get; set; } = 500;

    /// <summary>Statuses one Mastodon account may create per window (docs/platforms.md, Mastodon: 300 per 3 hours).</summary>
    public int MastodonStatusesPerWindow { get; set; } = 300;

    public TimeSpan MastodonStatusWindow { get; set; } = TimeSpan.FromHours(3);

    /// <summary>Requests one Mastodon account may make per window, all endpoints (docs/platforms.md, Mastodon: 300 per 5 minutes).</summary>
    public int MastodonRequestsPerWindow { get; set; } = 300;

    public TimeSpan MastodonRequestWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a Bluesky access token lasts (docs/platforms.md, Bluesky: 120 minutes), on the sandbox clock.</summary>
    public TimeSpan BlueskyAccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(120);

    /// <summary>How long a Bluesky refresh token lasts (docs/platforms.md, Bluesky: 90 days).</summary>
    public TimeSpan BlueskyRefreshTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Repository write points per DID and hour (docs/platforms.md, Bluesky: 5,000; a create costs 3).</summary>
    public int BlueskyWritePointsPerHour { get; set; } = 5000;

    /// <summary>
    /// Posts one Threads profile may publish through the API in a rolling 24 hours (docs/platforms.md, Threads,
    /// "Rate limits": 250), enforced at <c>threads_publish</c> and reported by <c>threads_publishing_limit</c>.
    /// </summary>
    public int ThreadsPostsPer24Hours { get; set; } = 250;

    /// <summary>Replies one Threads profile may publish through the API in a rolling 24 hours (docs/platforms.md, Threads: 1,000).</summary>
    public int ThreadsRepliesPer24Hours { get; set; } = 1000;

    /// <summary>
    /// How many status checks a new Threads container answers <c>IN_PROGRESS</c> before <c>FINISHED</c>.
    /// Default 0: text is typically ready at once (docs/platforms.md, Threads). Counted in checks, not time, so tests on
    /// a fake clock stay deterministic; read when a container is created.
    /// </summary>
    public int ThreadsInProgressPolls { get; set; }

    /// <summary>
    /// How many status checks (and publish calls) a new Threads container answers with error 24 / subcode
    /// 4279009 ("media not found") right after it was created, before it can be seen. Default 0.
    /// </summary>
    public int ThreadsNotFoundPolls { get; set; }

    /// <summary>
    /// Switches off every simulated limit, for benchmarks and soaks: no 429 from a platform's own windows or
    /// quotas, no rate-limit headers on any answer, and Threads' <c>threads_publishing_limit</c> reports no quota,
    /// so a client that obeys what it is told is never held back by the simulator.
    /// </summary>
    public bool DisableRateLimits { get; set; }
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
