using System.Net;
using Herald.Platforms.Mastodon;

namespace Herald.Platforms.Tests.Mastodon;

public sealed class MastodonErrorsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(400, PublishOutcomeKind.Permanent)]
    [InlineData(401, PublishOutcomeKind.Permanent)]
    [InlineData(403, PublishOutcomeKind.Permanent)]
    [InlineData(404, PublishOutcomeKind.Permanent)]
    [InlineData(422, PublishOutcomeKind.Permanent)]
    [InlineData(429, PublishOutcomeKind.RateLimited)]
    [InlineData(500, PublishOutcomeKind.Unknown)]
    [InlineData(502, PublishOutcomeKind.Unknown)]
    [InlineData(503, PublishOutcomeKind.Unknown)]
    public void Classify_Status_MapsToOutcome(int status, PublishOutcomeKind expected)
    {
        var outcome = MastodonErrors.Classify((HttpStatusCode)status, """{"error":"said"}""", null);

        Assert.Equal(expected, outcome.Kind);
        Assert.Equal(status, outcome.HttpStatus);
        Assert.Contains("said", outcome.Error);
    }

    [Fact]
    public void Classify_422OverTheLimit_KeepsMastodonsWords()
    {
        var outcome = MastodonErrors.Classify(
            HttpStatusCode.UnprocessableEntity, """{"error":"Validation failed: Text character limit of 500 exceeded"}""", null);

        Assert.Equal("Mastodon refused the status (HTTP 422): Validation failed: Text character limit of 500 exceeded.", outcome.Error);
    }

    [Fact]
    public void Classify_429_WaitsTheGivenDelay()
    {
        var outcome = MastodonErrors.Classify(HttpStatusCode.TooManyRequests, """{"error":"Too many requests"}""", TimeSpan.FromMinutes(5));

        Assert.Equal(TimeSpan.FromMinutes(5), outcome.RetryAfter);
    }

    [Fact]
    public void UntilReset_ResetCenturiesAway_CappedAtThirtyDays()
    {
        var now = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromDays(30), MastodonErrors.UntilReset("9999-12-31T23:59:59.000000Z", now));
    }

    [Fact]
    public void Classify_NotJsonBody_StatusAloneInTheMessage()
    {
        var outcome = MastodonErrors.Classify(HttpStatusCode.BadGateway, "<html>Bad gateway</html>", null);

        Assert.Equal(
            "Mastodon had a server error (HTTP 502) after the request was sent; the post may exist, so Herald looks for it before sending again.", outcome.Error);
    }

    [Theory]
    [InlineData("2026-11-24T12:05:00.000000Z", 300)]
    [InlineData("2026-11-24T12:00:30Z", 30)]
    [InlineData("2026-11-24T13:00:00+01:00", 0)]
    [InlineData("2026-11-24T11:00:00.000Z", 0)]
    public void UntilReset_IsoTimestamp_DelayFromNow(string header, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), MastodonErrors.UntilReset(header, Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    public void UntilReset_AbsentOrUnreadable_Null(string? header)
    {
        Assert.Null(MastodonErrors.UntilReset(header, Now));
    }

    [Fact]
    public void IdempotencyKey_PartOneIsThePublicationKeyLaterPartsAddTheirNumber()
    {
        Assert.Equal("k", Herald.Platforms.Mastodon.MastodonAdapter.IdempotencyKey("k", 1));
        Assert.Equal("k-2", Herald.Platforms.Mastodon.MastodonAdapter.IdempotencyKey("k", 2));
        Assert.Equal("k-12", Herald.Platforms.Mastodon.MastodonAdapter.IdempotencyKey("k", 12));
    }
}
