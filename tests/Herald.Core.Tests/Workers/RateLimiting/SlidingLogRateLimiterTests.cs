using Herald.Workers.RateLimiting;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Core.Tests.Workers.RateLimiting;

public sealed class SlidingLogRateLimiterTests
{
    /// <summary>
    /// Regression (m4): a thread took one permit for all its parts, so a 30-part X thread spent 30 of X's writes
    /// under one permit and met the platform's 429 mid-thread. Each request now takes its own.
    /// </summary>
    [Fact]
    public async Task Acquire_ThreadOfFiveParts_TakesFivePermitsAndReleasesFive()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        var limiter = new SlidingLogRateLimiter(new RateLimitRule(8, TimeSpan.FromMinutes(15)), clock);

        using (var thread = await limiter.AcquireAsync(5))
        {
            Assert.True(thread.IsAcquired);
            Assert.Equal(3, limiter.GetStatistics()!.CurrentAvailablePermits);
            using var second = await limiter.AcquireAsync(5);
            Assert.False(second.IsAcquired);
        }

        Assert.Equal(3, limiter.GetStatistics()!.CurrentAvailablePermits);
        clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(8, limiter.GetStatistics()!.CurrentAvailablePermits);
    }

    [Fact]
    public async Task Acquire_MorePartsThanTheWindowAllows_TakesTheWholeWindowInsteadOfNeverGoing()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        var limiter = new SlidingLogRateLimiter(new RateLimitRule(4, TimeSpan.FromMinutes(15)), clock);

        using var thread = await limiter.AcquireAsync(9);

        Assert.True(thread.IsAcquired);
        Assert.Equal(0, limiter.GetStatistics()!.CurrentAvailablePermits);
    }

    [Fact]
    public async Task ReturnUnused_FreesTheSlotsAtOnce_WithoutCountingThem()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        var limiter = new SlidingLogRateLimiter(new RateLimitRule(3, TimeSpan.FromMinutes(15)), clock);
        var lease = await limiter.AcquireAsync(2);
        Assert.Equal(1, limiter.GetStatistics()!.CurrentAvailablePermits);

        PublishRateLimiter.ReturnUnused(lease);
        lease.Dispose(); // given back once: disposing afterwards counts nothing

        Assert.Equal(3, limiter.GetStatistics()!.CurrentAvailablePermits);
    }

    [Fact]
    public async Task Denied_ForSeveralPermits_WaitsUntilThatManyHaveFreed()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        var limiter = new SlidingLogRateLimiter(new RateLimitRule(3, TimeSpan.FromMinutes(10)), clock);
        for (var i = 0; i < 3; i++)
        {
            (await limiter.AcquireAsync(1)).Dispose(); // completed at 09:00, 09:01 and 09:02
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        using var two = await limiter.AcquireAsync(2);

        // Two must free: the second oldest (09:01) frees at 09:11, 8 minutes from 09:03 — not the oldest's 7.
        Assert.False(two.IsAcquired);
        Assert.True(two.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var wait));
        Assert.Equal(TimeSpan.FromMinutes(8), wait);
    }
}
