using System.Security.Cryptography;
using System.Text;
using Herald.Accounts;

namespace Herald.Storage;

/// <summary>
/// Tells credentials a user configured apart from credentials a platform renewed. Stored credentials carry a
/// fingerprint of the configured values they came from; when the same values are configured again (every CLI
/// run reads them afresh), the stored — possibly renewed — credentials stay. A single-use OAuth 2 refresh
/// token (X) or a Bluesky session would otherwise be replaced by a spent one at every start.
/// </summary>
internal static class ConfiguredCredentials
{
    /// <summary>The credential key of the fingerprint; it is encrypted with the rest and never sent anywhere.</summary>
    public const string FingerprintKey = "herald_configured_fingerprint";

    /// <summary>A copy of <paramref name="credentials"/> for <paramref name="owner"/>, carrying the fingerprint of its configured values.</summary>
    public static AccountCredentials Stamp(AccountCredentials credentials, AccountId owner)
    {
        var stamped = new AccountCredentials(credentials.Where(c => c.Key != FingerprintKey))
        {
            Owner = owner,
            [FingerprintKey] = Fingerprint(credentials),
        };
        return stamped;
    }

    /// <summary>Whether <paramref name="stored"/> came from the same configured values as <paramref name="configured"/>.</summary>
    public static bool SameSource(AccountCredentials stored, AccountCredentials configured) =>
        stored[FingerprintKey] is { } fingerprint && fingerprint == configured[FingerprintKey];

    /// <summary>The fingerprint of the configured values in <paramref name="credentials"/> (any fingerprint they carry left out).</summary>
    public static string Fingerprint(AccountCredentials credentials)
    {
        var text = string.Join('\n', credentials
            .Where(c => c.Key != FingerprintKey)
            .OrderBy(c => c.Key, StringComparer.OrdinalIgnoreCase)
            .Select(c => $"{c.Key.ToLowerInvariant()}={c.Value}"));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
