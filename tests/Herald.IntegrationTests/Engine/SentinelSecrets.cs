using System.Security.Cryptography;

namespace Herald.IntegrationTests.Engine;

/// <summary>Unique random credentials and the sandbox's own tokens, and where any of them shows up.</summary>
internal sealed class SentinelSecrets
{
    // Credential keys that hold no secret: who the account is and which app it uses.
    private static readonly HashSet<string> PublicKeys = new(StringComparer.Ordinal) { "identifier", "did", "handle", "pds_url", "service_url", "client_id" };

    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);

    public int Count => _secrets.Count;

    public static bool IsSecretKey(string key) => !PublicKeys.Contains(key);

    public string New()
    {
        var sentinel = $"sentinel-{RandomNumberGenerator.GetHexString(32, lowercase: true)}";
        _secrets.Add(sentinel);
        return sentinel;
    }

    public void Add(string? secret)
    {
        // Short values (an empty string, a numeric id) would match by chance, and no token is that short.
        if (secret is { Length: >= 12 })
        {
            _secrets.Add(secret);
        }
    }

    public IReadOnlyList<string> FoundIn(string? text) =>
        text is null ? [] : [.. _secrets.Where(s => text.Contains(s, StringComparison.Ordinal) || text.Contains(Uri.EscapeDataString(s), StringComparison.Ordinal))];

    public IEnumerable<string> Leaks(string where, IEnumerable<string?> texts) =>
        texts.SelectMany(text => FoundIn(text).Select(secret => $"{where}: a secret ({secret[..Math.Min(12, secret.Length)]}…) in: {text}"));
}
