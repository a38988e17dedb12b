namespace Herald.Sandbox.Threads;

/// <summary>The simulated Threads API's limits and timing: <c>new SandboxOptions { Threads = { InProgressPolls = 2 } }</c>.</summary>
public sealed class ThreadsSandboxOptions
{
    /// <summary>
    /// Posts one Threads profile may publish through the API in a rolling 24 hours (docs/platforms.md, Threads,
    /// "Rate limits": 250), enforced at <c>threads_publish</c> and reported by <c>threads_publishing_limit</c>.
    /// </summary>
    public int PostsPer24Hours { get; set; } = 250;

    /// <summary>Replies one Threads profile may publish through the API in a rolling 24 hours (docs/platforms.md, Threads: 1,000).</summary>
    public int RepliesPer24Hours { get; set; } = 1000;

    /// <summary>
    /// How many status checks a new Threads container answers <c>IN_PROGRESS</c> before <c>FINISHED</c>.
    /// Default 0: text is typically ready at once (docs/platforms.md, Threads). Counted in checks, not time, so tests on
    /// a fake clock stay deterministic; read when a container is created.
    /// </summary>
    public int InProgressPolls { get; set; }

    /// <summary>
    /// How many status checks (and publish calls) a new Threads container answers with error 24 / subcode
    /// 4279009 ("media not found") right after it was created, before it can be seen. Default 0.
    /// </summary>
    public int NotFoundPolls { get; set; }
}
