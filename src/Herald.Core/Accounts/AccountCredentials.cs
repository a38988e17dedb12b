using System.Collections;
using System.Collections.Concurrent;

namespace Herald.Accounts;

/// <summary>
/// The secrets of one account (API keys, tokens, app passwords). Never printed: <see cref="ToString"/>
/// names the keys only, so a credential cannot reach a log line or an error message by accident.
/// Storage encrypts the values at rest.
/// </summary>
public sealed class AccountCredentials : IEnumerable<KeyValuePair<string, string>>
{
    // Concurrent: the publications of one batch share their account, and an adapter may renew its tokens
    // (an OAuth 2 refresh, a Bluesky session) while other sends read them.
    private readonly ConcurrentDictionary<string, string> _values;

    public AccountCredentials() => _values = new(StringComparer.OrdinalIgnoreCase);

    public AccountCredentials(IEnumerable<KeyValuePair<string, string>> values)
        : this()
    {
        foreach (var (key, value) in values)
        {
            _values[key] = value;
        }
    }

    public static AccountCredentials Empty => new();

    /// <summary>
    /// Credentials that are stored but cannot be read in this process (encrypted with another key, or damaged):
    /// empty, with the reason. A publication on such an account fails alone, with that reason, and never stalls
    /// the publications beside it.
    /// </summary>
    public static AccountCredentials Unreadable(string reason) => new() { UnreadableReason = reason };

    /// <summary>Why the stored credentials cannot be read here; null when they were read.</summary>
    public string? UnreadableReason { get; private init; }

    /// <summary>
    /// The account these credentials are stored for. Storage binds their encrypted form to it, so credentials copied
    /// into another account's row do not decrypt as that account's; null until they are stored or loaded.
    /// </summary>
    internal AccountId? Owner { get; init; }

    /// <summary>
    /// When the access token in these credentials expires, as the platform said when it issued it (an OAuth 2
    /// <c>expires_in</c>); null when not known. An adapter sets it when it renews the token; storage keeps it in a
    /// column of its own, beside the credentials, and does not fill it when it loads them. Not a secret.
    /// </summary>
    public DateTimeOffset? AccessTokenExpiresAt { get; set; }

    public int Count => _values.Count;

    public string? this[string key]
    {
        get => _values.TryGetValue(key, out var value) ? value : null;
        set
        {
            if (value is null)
            {
                _values.TryRemove(key, out _);
            }
            else
            {
                _values[key] = value;
            }
        }
    }

    public bool Has(string key) => !string.IsNullOrEmpty(this[key]);

    /// <summary>Every secret value, so error messages can be scrubbed of them.</summary>
    public IEnumerable<string> SecretValues => _values.Values.Where(v => v.Length > 0);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() =>
        _values.Count == 0 ? "(no credentials)" : $"({string.Join(", ", _values.Keys.Order())}: redacted)";
}
