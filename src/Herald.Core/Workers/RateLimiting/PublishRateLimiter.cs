using System.Threading.RateLimiting;

namespace Herald.Workers.RateLimiting;

/// <summary>
/// The limiter of one (platform, account) key. A <see cref="RateLimiter"/> that never queues: a denied lease
/// carries <see cref="MetadataName.RetryAfter"/>, and the publication is put back until then instead of holding a
/// worker. Disposing a granted lease marks the request completed; the window is counted from then.
/// </summary>
public abstract class PublishRateLimiter : RateLimiter
{
    /// <summary>The platform said "too many" (a 429 or a reset header): grant nothing until <paramref name="until"/>.</summary>
    public abstract ValueTask ParkAsync(DateTimeOffset until, CancellationToken cancellationToken = default);

    protected static RateLimitLease Denied(TimeSpan retryAfter) => new DeniedLease(retryAfter);

    private sealed class DeniedLease(TimeSpan retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}

/// <summary>Gives the limiter of each (platform, account) key; null when the platform is not limited.</summary>
public interface IPublishRateLimiters
{
    PublishRateLimiter? For(string platform, AccountId account);
}
