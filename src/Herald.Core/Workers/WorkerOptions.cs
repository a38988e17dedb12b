using Herald.Engine;

namespace Herald.Workers;

/// <summary>How workers claim and run publications (section <c>Herald:Workers</c>).</summary>
public sealed class WorkerOptions
{
    /// <summary>
    /// Hangfire workers in this process: batches run at once. Default 4: each batch already sends many
    /// publications at once, and on a small machine more batches only add contention (docs/benchmarks.md).
    /// </summary>
    public int Count { get; set; } = 4;

    /// <summary>
    /// Publications claimed per batch (one claim statement, one Hangfire job). Default 250: what a batch costs beyond
    /// its publications (its job, its claim and loads, its last sends finishing with few at once) weighs like some
    /// fifty of them, so on a backlog batches of 250 publish about a fifth faster than batches of 100
    /// (docs/benchmarks.md), and a backlog of 1,000 still keeps four workers busy. Each batch sends
    /// <see cref="ConcurrencyPerBatch"/> at once; one that cannot start a whole attempt in what is left of its lease
    /// gives the rest back, uncounted.
    /// </summary>
    public int BatchSize { get; set; } = 250;

    /// <summary>
    /// Publications of one batch sent at once. Default 32. Their outcomes share commits (group commit), so more
    /// at once means fewer commits per publication.
    /// </summary>
    public int ConcurrencyPerBatch { get; set; } = 32;

    /// <summary>
    /// How long a claimed publication is held before another worker may take it over and reconcile it. Default
    /// 5 minutes; it must exceed <see cref="AttemptTimeout"/>, or a slow live worker's publication could be taken over.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest one attempt may take (HTTP timeout included; the adapters' default timeout is 30 s). An attempt
    /// is not started unless this much of its lease is left. Default 1 minute.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a stopping worker waits for the attempts in flight: the attempt timeout plus 30 s for their outcomes'
    /// writes. Hosts set their own shutdown timeout to at least this.
    /// </summary>
    public TimeSpan ShutdownTimeout => AttemptTimeout + TimeSpan.FromSeconds(30);

    /// <summary>
    /// Attempts that may end without an outcome (the worker died or stopped, or failed in its own code) before the
    /// publication goes to NeedsReview with the reason, instead of looping. Default 3.
    /// </summary>
    public int MaxRecoveries { get; set; } = 3;

    /// <summary>
    /// The dispatcher looks even when nobody signalled: default 15 s with PostgreSQL (LISTEN/NOTIFY wakes it at
    /// once), 2 s with SQLite, where <c>herald post --at</c> in another process cannot signal.
    /// </summary>
    public TimeSpan? SafetyPoll { get; set; }

    /// <summary>
    /// How far ahead of their due instant publications are claimed, loaded, rendered and looked up (when an earlier
    /// send may have taken effect), then held ready and released at that instant — never before it. Default 2 s;
    /// zero turns holding off (a publication is claimed when it is due). Held publications are under a lease like
    /// any claimed one: a worker that dies holding them gives them back when it expires.
    /// </summary>
    public TimeSpan HoldAhead { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The most publications one batch holds for their due instant. A claim that comes back as a full batch of
    /// publications all due ahead of now (within <see cref="HoldAhead"/>) claims more under the same claim, up to
    /// this many, so that what falls due at one instant is held by batches that all run at it, rather than some
    /// waiting for a worker while the instant passes: <see cref="Count"/> × this many can go out at one instant.
    /// Default 1,000; at most <see cref="BatchSize"/> turns it off.
    /// </summary>
    public int HeldBatchSize { get; set; } = 1000;

    /// <summary>
    /// The largest <see cref="HeldBatchSize"/> allowed: a held batch sends all its publications at once, and its ids
    /// travel as one job's arguments and one statement's parameters.
    /// </summary>
    public const int MaxHeldBatchSize = 10_000;

    /// <summary>
    /// How much of a claim's lease may be gone when its job starts for the job to keep that lease rather than write a
    /// new one: at most 1 s, and never more than the room the lease leaves beyond <see cref="HoldAhead"/>, a whole
    /// <see cref="AttemptTimeout"/> and the safety margin, so a held publication still has a whole attempt left at its
    /// instant. A job that keeps the claim's lease changes no indexed column when it takes its rows.
    /// </summary>
    internal TimeSpan ClaimLeaseKeptFor
    {
        get
        {
            var room = LeaseDuration - HoldAhead - AttemptTimeout - AttemptLease.SafetyMargin(this);
            return room <= TimeSpan.Zero ? TimeSpan.Zero : room < TimeSpan.FromSeconds(1) ? room : TimeSpan.FromSeconds(1);
        }
    }

    /// <summary>Claimed batches allowed to wait for a worker before the dispatcher stops claiming; default 2 × <see cref="Count"/>.</summary>
    public int? MaxPendingBatches { get; set; }

    /// <summary>Every problem at once, each naming its setting.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Count < 1)
        {
            problems.Add("Herald:Workers:Count must be at least 1.");
        }

        if (BatchSize < 1)
        {
            problems.Add("Herald:Workers:BatchSize must be at least 1.");
        }

        if (HeldBatchSize is < 1 or > MaxHeldBatchSize)
        {
            problems.Add($"Herald:Workers:HeldBatchSize must be between 1 and {MaxHeldBatchSize:N0} (it is {HeldBatchSize}).");
        }

        if (ConcurrencyPerBatch < 1)
        {
            problems.Add("Herald:Workers:ConcurrencyPerBatch must be at least 1.");
        }

        if (AttemptTimeout <= TimeSpan.Zero)
        {
            problems.Add("Herald:Workers:AttemptTimeout must be positive, such as 00:01:00.");
        }

        if (LeaseDuration <= AttemptTimeout)
        {
            problems.Add($"Herald:Workers:LeaseDuration ({LeaseDuration}) must be longer than Herald:Workers:AttemptTimeout ({AttemptTimeout}).");
        }

        if (MaxRecoveries < 1)
        {
            problems.Add("Herald:Workers:MaxRecoveries must be at least 1.");
        }

        if (SafetyPoll is { } poll && poll <= TimeSpan.Zero)
        {
            problems.Add("Herald:Workers:SafetyPoll must be positive, such as 00:00:15.");
        }

        if (HoldAhead < TimeSpan.Zero)
        {
            problems.Add("Herald:Workers:HoldAhead must not be negative, such as 00:00:02 (00:00:00 turns holding off).");
        }
        else if (LeaseDuration > AttemptTimeout && HoldAhead + AttemptTimeout + AttemptLease.SafetyMargin(this) > LeaseDuration)
        {
            // A held publication must still have a whole attempt (and the lease's safety margin) left at its instant.
            problems.Add($"Herald:Workers:HoldAhead ({HoldAhead}) plus Herald:Workers:AttemptTimeout ({AttemptTimeout}) plus a safety margin of " +
                $"{AttemptLease.SafetyMargin(this)} must fit in Herald:Workers:LeaseDuration ({LeaseDuration}).");
        }

        if (MaxPendingBatches is < 1)
        {
            problems.Add("Herald:Workers:MaxPendingBatches must be at least 1.");
        }

        return problems;
    }
}
