using System.Net;
using Herald.Platforms.DevTo;

namespace Herald.Platforms.Tests.DevTo;

public sealed class DevToErrorsTests
{
    [Theory]
    [InlineData(401, PublishOutcomeKind.Permanent)]
    [InlineData(403, PublishOutcomeKind.Permanent)]
    [InlineData(404, PublishOutcomeKind.Permanent)]
    [InlineData(422, PublishOutcomeKind.Permanent)]
    [InlineData(429, PublishOutcomeKind.RateLimited)]
    [InlineData(500, PublishOutcomeKind.Unknown)]
    [InlineData(502, PublishOutcomeKind.Unknown)]
    [InlineData(503, PublishOutcomeKind.Unknown)]
    public void Classify_Status_MapsToOutcomeKind(int status, PublishOutcomeKind expected)
    {
        var outcome = DevToErrors.Classify((HttpStatusCode)status, null, null);

        Assert.Equal(expected, outcome.Kind);
        Assert.Equal(status, outcome.HttpStatus);
    }

    [Fact]
    public void Classify_422WithForemError_QuotesTheSentence()
    {
        var outcome = DevToErrors.Classify((HttpStatusCode)422, """{"error":"Title is too long (maximum is 128 characters)","status":422}""", null);

        Assert.Equal("Dev.to refused the article (HTTP 422): Title is too long (maximum is 128 characters).", outcome.Error);
    }

    [Fact]
    public void Classify_429PlainTextBodyWithRetryAfter_KeepsTheDelay()
    {
        var outcome = DevToErrors.Classify(HttpStatusCode.TooManyRequests, "Retry later\n", TimeSpan.FromSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), outcome.RetryAfter);
        Assert.Equal("Dev.to rate limit reached (HTTP 429).", outcome.Error);
    }

    [Fact]
    public void ErrorText_NotForemJson_ReturnsNull()
    {
        Assert.Null(DevToErrors.ErrorText("<html>Bad gateway</html>"));
        Assert.Null(DevToErrors.ErrorText("[1,2]"));
        Assert.Null(DevToErrors.ErrorText(""));
    }
}
