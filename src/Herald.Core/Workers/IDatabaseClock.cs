namespace Herald.Workers;

/// <summary>
/// The clock every worker of a shared database compares leases, due times and rate windows with (the database's,
/// with PostgreSQL). Registered only where it differs from the machine's own.
/// </summary>
public interface IDatabaseClock
{
    /// <summary>How far the database's clock is ahead of this machine's (negative: behind), as last measured.</summary>
    TimeSpan Offset { get; }

    /// <summary>Measures the offset again and returns it.</summary>
    Task<TimeSpan> SyncAsync(CancellationToken cancellationToken = default);
}
