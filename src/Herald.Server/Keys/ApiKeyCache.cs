using System.Collections.Concurrent;

namespace Herald.Server.Keys;

/// <summary>
/// Keys that authenticated recently, by the hash of the key, so that a client's requests do not each cost a database
/// query: an entry is trusted for <see cref="Duration"/> after the database last confirmed it, then checked again.
/// </summary>
/// <remarks>
/// A key revoked through this process (API, dashboard) is forgotten at once; one revoked elsewhere (another API node,
/// <c>herald keys revoke</c>) stops working here within <see cref="Duration"/>. A zero duration checks every request.
/// Only keys that authenticated are kept, so the cache holds at most one entry per live key.
/// </remarks>
public sealed class ApiKeyCache(TimeSpan duration, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, (AuthenticatedKey Key, long CheckedAt)> _entries = new(StringComparer.Ordinal);

    /// <summary>How long a key the database confirmed is trusted without asking it again.</summary>
    public TimeSpan Duration { get; } = duration >= TimeSpan.Zero ? duration : throw new ArgumentOutOfRangeException(nameof(duration));

    /// <summary>The key with <paramref name="hash"/>, when the database confirmed it less than <see cref="Duration"/> ago.</summary>
    public AuthenticatedKey? Find(string hash) =>
        Duration > TimeSpan.Zero && _entries.TryGetValue(hash, out var entry) && timeProvider.GetElapsedTime(entry.CheckedAt) < Duration
            ? entry.Key
            : null;

    /// <summary>Records what the database just said about the key with <paramref name="hash"/> (null: unknown or revoked).</summary>
    public void Confirmed(string hash, AuthenticatedKey? key)
    {
        if (key is null || Duration == TimeSpan.Zero)
        {
            _entries.TryRemove(hash, out _);
        }
        else
        {
            _entries[hash] = (key, timeProvider.GetTimestamp());
        }
    }

    /// <summary>Forgets the key with <paramref name="id"/> (revoked by this process).</summary>
    public void Forget(Guid id)
    {
        foreach (var entry in _entries)
        {
            if (entry.Value.Key.Id == id)
            {
                _entries.TryRemove(entry);
            }
        }
    }
}
