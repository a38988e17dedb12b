using System.Globalization;
using System.Text.RegularExpressions;

namespace Herald.Storage.Accounts;

/// <summary>
/// An account's access token expiry as users give it and as Herald shows it: an ISO 8601 instant in, and
/// <c>unknown</c>, <c>expired</c> or <c>in N days</c> out. The same words on the API's callers' screens, the
/// dashboard and the command line.
/// </summary>
public static partial class TokenExpiry
{
    /// <summary>The API's name for the field; the command line's flag is <c>--token-expires-at</c>.</summary>
    public const string Field = "tokenExpiresAt";

    /// <summary>How far ahead an expiry that Herald cannot renew away is announced on the overview.</summary>
    public static readonly TimeSpan Soon = TimeSpan.FromDays(7);

    /// <summary>
    /// The instant in <paramref name="text"/> (null when none is given), or null with a problem keyed
    /// <paramref name="field"/> when it is not an ISO 8601 date and time with an offset or <c>Z</c>.
    /// </summary>
    public static DateTimeOffset? Read(string? text, List<(string Field, string Message)> problems, string field = Field)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (text is null)
        {
            return null;
        }

        var value = text.Trim();
        if (Instant().IsMatch(value) &&
            DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            return at.ToUniversalTime();
        }

        problems.Add((field, "must be an ISO 8601 instant with an offset, such as 2026-12-31T00:00:00Z or 2026-12-31T09:00:00+01:00"));
        return null;
    }

    /// <summary>
    /// <c>unknown</c>, <c>expired</c>, <c>in less than a day</c>, <c>in 1 day</c> or <c>in N days</c> (whole days left),
    /// as of <paramref name="now"/>; <c>renewed by Herald when needed</c> for a token Herald renews itself
    /// (<paramref name="renewedByHerald"/>: an X OAuth 2.0 token with its refresh token, which lives two hours).
    /// </summary>
    public static string Describe(DateTimeOffset? expiresAt, DateTimeOffset now, bool renewedByHerald = false)
    {
        if (expiresAt is not { } at)
        {
            return "unknown";
        }

        if (renewedByHerald)
        {
            return "renewed by Herald when needed";
        }

        var left = at - now;
        return left <= TimeSpan.Zero ? "expired"
            : left.TotalDays < 1 ? "in less than a day"
            : (int)left.TotalDays == 1 ? "in 1 day"
            : $"in {(int)left.TotalDays} days";
    }

    /// <summary>
    /// Whether the token has expired or expires within <see cref="Soon"/> of <paramref name="now"/> and Herald cannot
    /// renew it (<paramref name="renewedByHerald"/> false): what a person must act on.
    /// </summary>
    public static bool ExpiresSoon(DateTimeOffset? expiresAt, DateTimeOffset now, bool renewedByHerald = false) =>
        !renewedByHerald && expiresAt is { } at && at - now <= Soon;

    // A date, a time to the minute or finer, and an offset: an instant, never a wall-clock time read in some zone.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Instant();
}
