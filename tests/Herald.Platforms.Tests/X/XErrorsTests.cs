using System.Net;
using Herald.Platforms.X;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Platforms.Tests.X;

public sealed class XErrorsTests
{
    [Theory]
    [InlineData(400, PublishOutcomeKind.Permanent)]
    [InlineData(401, PublishOutcomeKind.Permanent)]
    [InlineData(403, PublishOutcomeKind.Permanent)]
    [InlineData(404, PublishOutcomeKind.Permanent)]
    [InlineData(422, PublishOutcomeKind.Permanent)]
    [InlineData(429, PublishOutcomeKind.RateLimited)]
    [InlineData(500, PublishOutcomeKind.Unknown)]
    [InlineData(503, PublishOutcomeKind.Unknown)]
    public void Classify_Status_MapsToOutcome(int status, PublishOutcomeKind expected)
    {
        var outcome = XErrors.Classify(status, """{"title":"T","detail":"said","type":"about:blank","status":0}""", TimeSpan.FromMinutes(3), "advice");

        Assert.Equal(expected, outcome.Kind);
        Assert.Equal(status, outcome.HttpStatus);
        Assert.Contains("said", outcome.Error);
    }

    [Fact]
    public void Classify_ServerErrorOnARead_TransientBecauseNothingWasCreated()
    {
        var outcome = XErrors.Classify(503, null, null, "advice", create: false);

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
    }

    [Fact]
    public void Classify_DuplicateContent403_PermanentNamingDuplicateContent()
    {
        const string body = """{"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","title":"Forbidden","status":403}""";

        var outcome = XErrors.Classify(403, body, null, "advice");

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("duplicate content", outcome.Error);
        Assert.True(XErrors.IsDuplicate(body));
    }

    [Fact]
    public void Classify_401_CarriesTheAdvice()
    {
        var outcome = XErrors.Classify(401, """{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}""", null, "renew it.");

        Assert.Equal("X refused the credentials (HTTP 401): Unauthorized: renew it.", outcome.Error);
    }

    [Fact]
    public void Classify_429_WaitsTheGivenReset()
    {
        var outcome = XErrors.Classify(429, """{"errors":[{"code":88,"message":"Rate limit exceeded"}]}""", TimeSpan.FromSeconds(42), "");

        Assert.Equal(TimeSpan.FromSeconds(42), outcome.RetryAfter);
        Assert.Contains("Rate limit exceeded", outcome.Error);
    }

    [Fact]
    public void RateLimitWait_WindowReset_IsTheTimeUntilTheEpochReset()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.Add("x-rate-limit-remaining", "0");
        response.Headers.Add("x-rate-limit-reset", clock.GetUtcNow().AddMinutes(15).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(TimeSpan.FromMinutes(15), XErrors.RateLimitWait(response, clock));
    }

    [Fact]
    public void RateLimitWait_DailyUserQuotaUsedUp_WaitsForTheLaterDailyReset()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
        var now = clock.GetUtcNow();
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.Add("x-rate-limit-remaining", "99");
        response.Headers.Add("x-rate-limit-reset", now.AddMinutes(15).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        response.Headers.Add("x-user-limit-24hour-remaining", "0");
        response.Headers.Add("x-user-limit-24hour-reset", now.AddHours(20).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        response.Headers.Add("x-app-limit-24hour-remaining", "500");
        response.Headers.Add("x-app-limit-24hour-reset", now.AddHours(23).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(TimeSpan.FromHours(20), XErrors.RateLimitWait(response, clock));
    }

    [Fact]
    public void RateLimitWait_NoResetHeaders_FallsBackToRetryAfter()
    {
        var clock = new FakeTimeProvider();
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), XErrors.RateLimitWait(response, clock));
    }

    [Fact]
    public void Describe_ProblemWithErrors_JoinsDetailAndMessages()
    {
        const string body = """{"errors":[{"message":"Text is too long"}],"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}""";

        Assert.Equal("One or more parameters to your request was invalid.; Text is too long", XErrors.Describe(body));
        Assert.Null(XErrors.Describe("<html>bad gateway</html>"));
    }

    [Fact]
    public void Comparable_TcoLinkAndEscapedAmpersand_MatchTheTextAsSent()
    {
        var entities = new XEntities([new XUrlEntity("https://t.co/abc123", "https://blog.example.com/a?b=1")]);

        Assert.Equal(
            "Fish & chips: https://blog.example.com/a?b=1",
            XAdapter.Comparable("Fish &amp; chips: https://t.co/abc123 ", entities));
    }
}
