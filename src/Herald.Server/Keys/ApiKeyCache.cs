using System.Collections.Concurrent;

namespace Herald.Server.Keys;

/// <summary>
/// Keys that authenticated recently, by the hash of the key, so that a client's requests do not each cost a database
/// query: an entry is trusted for <see cref="Duration"/> from the moment the database was asked, then checked again.
/// </summary>
/// <remarks>
/// A key revoked through this process (API, dashboard) is forgotten at once, and an answer read before that revocation
/// cannot put it back (<see cref="Ask"/> hands out a ticket that a revocation in between voids). One revoked elsewhere
/// (another API node, <c>herald keys revoke</c>) stops working here within <see cref="Duration"/>. A zero duration
/// checks every request. Only keys that authenticated are kept, and expired entries are dropped as new ones come, so
/// the cache holds at most the keys used within the last <see cref="Duration"/> or so.
/// </remarks>
public sealed class ApiKeyCache(TimeSpan duration, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, (AuthenticatedKey Key, long AskedAt)> _entries = new(StringComparer.Ordinal);
    private long _revocations;
    private long _lastSweep = timeProvider.GetTimestamp();

    /// <summary>What the database is about to be asked: when, and how many revocations this process had made by then.</summary>
    public readonly record struct Ticket(long AskedAt, long Revocations);

    /// <summary>How long a key the database confirmed is trusted without asking it again.</summary>
    public TimeSpan Duration { get; } = duration >= TimeSpan.Zero ? duration : throw new ArgumentOutOfRangeException(nameof(duration));

    /// <summary>The key with <paramref name="hash"/>, when the database confirmed it less than <see cref="Duration"/> ago.</summary>
    public AuthenticatedKey? Find(string hash) =>
        Duration > TimeSpan.Zero && _entries.TryGetValue(hash, out var entry) && timeProvider.GetElapsedTime(entry.AskedAt) < Duration
            ? entry.Key
            : null;

    /// <summary>Taken just before the database is asked about a key; given back to <see cref="Confirmed"/> with its answer.</summary>
    public Ticket Ask() => new(timeProvider.GetTimestamp(), Interlocked.Read(ref _revocations));

    /// <summary>
    /// Records what the database said about the key with <paramref name="hash"/> (null: unknown or revoked) when asked
    /// with <paramref name="ticket"/>; an answer that a revocation by this process may have overtaken is not kept.
    /// </summary>
    public void Confirmed(string hash, AuthenticatedKey? key, Ticket ticket)
    {
        if (key is null || Duration == TimeSpan.Zero)
        {
            _entries.TryRemove(hash, out _);
            return;
        }

        _entries[hash] = (key, ticket.AskedAt);
        // Checked after the write: a revocation that ran in between either sees the entry and removes it, or has
        // already counted itself, and then the entry is removed here.
        if (Interlocked.Read(ref _revocations) != ticket.Revocations)
        {
            _entries.TryRemove(new KeyValuePair<string, (AuthenticatedKey, long)>(hash, (key, ticket.AskedAt)));
        }

        SweepNowAndThen();
    }

    /// <summary>Forgets the key with <paramref name="id"/> (revoked by this process).</summary>
    public void Forget(Guid id)
    {
        Interlocked.Increment(ref _revocations);
        foreach (var entry in _entries)
        {
            if (entry.Value.Key.Id == id)
            {
                _entries.TryRemove(entry);
            }
        }
    }

    /// <summary>Drops expired entries, at most once per <see cref="Duration"/>.</summary>
    private void SweepNowAndThen()
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (timeProvider.GetElapsedTime(last) < Duration || Interlocked.CompareExchange(ref _lastSweep, timeProvider.GetTimestamp(), last) != last)
        {
            return;
        }

        foreach (var entry in _entries)
        {
            if (timeProvider.GetElapsedTime(entry.Value.AskedAt) >= Duration)
            {
                _entries.TryRemove(entry);
            }
        }
    }

    /// <summary>How many keys are held (for tests).</summary>
    internal int Count => _entries.Count;
}
