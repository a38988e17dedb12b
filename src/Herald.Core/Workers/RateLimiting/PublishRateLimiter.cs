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

    /// <summary>
    /// Gives a granted <paramref name="lease"/> back unused: nothing was sent, so its slots are freed at once instead of
    /// counting for a window. Any other lease (denied, of another limiter, null) is only disposed.
    /// </summary>
    public static void ReturnUnused(RateLimitLease? lease)
    {
        if (lease is ReturnableLease returnable)
        {
            returnable.ReturnUnused();
        }

        lease?.Dispose();
    }

    /// <summary>A granted lease that can be given back unused (<see cref="PublishRateLimiter.ReturnUnused(RateLimitLease)"/>).</summary>
    protected abstract class ReturnableLease : RateLimitLease
    {
        private int _released;

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        /// <summary>Frees the slots without counting them: called once, and disposing afterwards does nothing.</summary>
        internal void ReturnUnused()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Free(used: false);
            }
        }

        /// <summary>Frees the slots: <paramref name="used"/> when the request was made (they count for a window from now).</summary>
        protected abstract void Free(bool used);

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Free(used: true);
            }
        }
    }

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
