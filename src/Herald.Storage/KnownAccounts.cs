using System.Collections.Concurrent;
using Herald.Accounts;

namespace Herald.Storage;

/// <summary>
/// The accounts this process stored or found stored while scheduling, as they were then: a schedule naming one of
/// them, exactly as it was (credentials from the same configured values, the same settings and base address), need
/// not read it again (<see cref="PublicationStore.TryAddScheduledAtOnceAsync"/>).
/// </summary>
/// <remarks>
/// What another process changes is seen within <see cref="Lifetime"/>: an entry is trusted that long, and not at all
/// once an account write in this process (<see cref="Forget"/>) touched it. An account deleted meanwhile does not
/// take a publication: its foreign key refuses the insert, and the schedule goes the general way.
/// </remarks>
internal sealed class KnownAccounts
{
    /// <summary>How long an entry is trusted after it was read or written.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(string Platform, string DisplayName), Entry> _entries = new();

    private sealed record Entry(
        AccountId Id, DateTimeOffset CreatedAt, string Fingerprint, Uri? BaseUrl, IReadOnlyDictionary<string, string> Settings, long Until);

    /// <summary>Remembers accounts as they were just committed.</summary>
    public void Remember(IEnumerable<Account> stored)
    {
        var until = Environment.TickCount64 + (long)Lifetime.TotalMilliseconds;
        foreach (var account in stored)
        {
            // Credentials this process could not read were replaced by configured ones, which carry the fingerprint.
            if (account.Credentials[ConfiguredCredentials.FingerprintKey] is { } fingerprint)
            {
                _entries[(account.Platform, account.DisplayName)] = new Entry(
                    account.Id, account.CreatedAt, fingerprint, account.BaseUrl, new Dictionary<string, string>(account.Settings), until);
            }
        }
    }

    /// <summary>Forgets an account this process is about to change (or has changed) outside a schedule.</summary>
    public void Forget(string platform, string displayName) => _entries.TryRemove((platform, displayName), out _);

    /// <summary>Forgets every account (one changed that cannot be named, or a write failed).</summary>
    public void ForgetAll() => _entries.Clear();

    /// <summary>
    /// The stored form of each of <paramref name="given"/> — its stored id and creation time, with what was given —
    /// when every one is known exactly as given; otherwise null.
    /// </summary>
    public IReadOnlyList<Account>? Find(IReadOnlyList<Account> given)
    {
        var now = Environment.TickCount64;
        var found = new Account[given.Count];
        for (var i = 0; i < given.Count; i++)
        {
            var account = given[i];
            if (!_entries.TryGetValue((account.Platform, account.DisplayName), out var entry)
                || entry.Until < now
                || !Equals(entry.BaseUrl, account.BaseUrl)
                || !SameSettings(entry.Settings, account.Settings)
                || entry.Fingerprint != ConfiguredCredentials.Fingerprint(account.Credentials))
            {
                return null;
            }

            found[i] = new Account
            {
                Id = entry.Id,
                Platform = account.Platform,
                DisplayName = account.DisplayName,
                Credentials = account.Credentials,
                BaseUrl = account.BaseUrl,
                Settings = account.Settings,
                CreatedAt = entry.CreatedAt,
            };
        }

        return found;
    }

    private static bool SameSettings(IReadOnlyDictionary<string, string> known, IReadOnlyDictionary<string, string> given) =>
        known.Count == given.Count && given.All(s => known.TryGetValue(s.Key, out var value) && value == s.Value);
}
