using Herald.Publications;

namespace Herald.Core.Tests.Publications;

public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(100, 60)]
    public void DelayFor_Retry_DoublesFromOneMinuteCappedAtOneHour(int retry, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), RetryPolicy.Default.DelayFor(retry));

    [Fact]
    public void DelayFor_RetryAfterLongerThanBackoff_WaitsForRetryAfter() =>
        Assert.Equal(TimeSpan.FromMinutes(10), RetryPolicy.Default.DelayFor(1, TimeSpan.FromSeconds(600)));

    [Fact]
    public void DelayFor_RetryAfterShorterThanBackoff_KeepsBackoff() =>
        Assert.Equal(TimeSpan.FromMinutes(4), RetryPolicy.Default.DelayFor(3, TimeSpan.FromSeconds(5)));
}
