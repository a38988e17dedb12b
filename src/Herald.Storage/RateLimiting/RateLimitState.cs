using Herald.Storage.Configurations;
using Microsoft.EntityFrameworkCore;

namespace Herald.Storage.RateLimiting;

/// <summary>
/// Reads the shared rate-limit pauses for the dashboard (never writes): the (platform, account) keys a platform told
/// to wait (a 429 or a reset header) and until when. Only the distributed limiters (PostgreSQL) keep them in the
/// database; a single-process worker keeps its windows and pauses in its own memory, where no other process sees them.
/// </summary>
public static class RateLimitState
{
    /// <summary>The key the limiters use for <paramref name="platform"/> and <paramref name="account"/>.</summary>
    public static string Key(string platform, AccountId account) => $"{platform}:{account}";

    /// <summary>Until when each paused key is paused, by key; pauses already over are left out.</summary>
    public static async Task<Dictionary<string, DateTimeOffset>> PausedAsync(HeraldDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // One row per key at most: read whole and compared here, the same on both databases.
        return (await db.Set<RateLimitPark>().AsNoTracking().ToListAsync(cancellationToken))
            .Where(p => p.ParkedUntil > now).ToDictionary(p => p.Key, p => p.ParkedUntil, StringComparer.Ordinal);
    }
}
