using System.Net;
using Herald.Platforms.Http;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Platforms.Tests.Http;

/// <summary>Rate-limit headers read into waits: bounded, and never an exception, whatever a server sends.</summary>
public sealed class HttpOutcomesTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("99999999999999")]
    [InlineData("9223372036854775807")]
    [InlineData("-9223372036854775808")]
    public void UntilEpochReset_EpochPastYear9999OrBeforeYear1_NeverThrows(string epoch)
    {
        using var response = Answer("x-rate-limit-reset", epoch);

        var wait = HttpOutcomes.UntilEpochReset(response, "x-rate-limit-reset", _clock);

        Assert.True(wait is null || (wait >= TimeSpan.Zero && wait <= HttpOutcomes.MaxWait));
    }

    [Fact]
    public void UntilEpochReset_ResetTwoYearsAway_CappedAtThirtyDays()
    {
        using var response = Answer("x-rate-limit-reset", _clock.GetUtcNow().AddYears(2).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(TimeSpan.FromDays(30), HttpOutcomes.UntilEpochReset(response, "x-rate-limit-reset", _clock));
    }

    [Fact]
    public void UntilEpochReset_ResetInFiveMinutes_ThatWait()
    {
        using var response = Answer("x-rate-limit-reset", _clock.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(TimeSpan.FromMinutes(5), HttpOutcomes.UntilEpochReset(response, "x-rate-limit-reset", _clock));
    }

    [Theory]
    [InlineData("2147483647")]
    [InlineData("99999999999999999999")]
    [InlineData("Fri, 31 Dec 9999 23:59:59 GMT")]
    public void RetryAfter_AbsurdSecondsOrDate_CappedAtThirtyDays(string value)
    {
        using var response = Answer("Retry-After", value);

        var wait = HttpOutcomes.RetryAfter(response, _clock);

        Assert.Equal(TimeSpan.FromDays(30), wait);
    }

    [Theory]
    [InlineData("120", 120)]
    [InlineData("Tue, 24 Nov 2026 09:02:00 GMT", 120)]
    [InlineData("Tue, 24 Nov 2026 08:00:00 GMT", 0)]
    public void RetryAfter_SecondsOrHttpDate_ThatWait(string value, int seconds)
    {
        using var response = Answer("Retry-After", value);

        Assert.Equal(TimeSpan.FromSeconds(seconds), HttpOutcomes.RetryAfter(response, _clock));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("")]
    public void RetryAfter_Unreadable_NoWait(string value)
    {
        using var response = Answer("Retry-After", value);

        Assert.Null(HttpOutcomes.RetryAfter(response, _clock));
    }

    private static HttpResponseMessage Answer(string header, string value)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation(header, value);
        return response;
    }
}
