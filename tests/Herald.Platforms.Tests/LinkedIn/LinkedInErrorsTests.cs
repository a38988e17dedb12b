using System.Net;
using Herald.Platforms.LinkedIn;

namespace Herald.Platforms.Tests.LinkedIn;

public sealed class LinkedInErrorsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 21, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(400, PublishOutcomeKind.Permanent)]
    [InlineData(401, PublishOutcomeKind.Permanent)]
    [InlineData(403, PublishOutcomeKind.Permanent)]
    [InlineData(404, PublishOutcomeKind.Permanent)]
    [InlineData(422, PublishOutcomeKind.Permanent)]
    [InlineData(426, PublishOutcomeKind.Permanent)]
    [InlineData(429, PublishOutcomeKind.RateLimited)]
    [InlineData(500, PublishOutcomeKind.Unknown)]
    [InlineData(503, PublishOutcomeKind.Unknown)]
    public void Classify_Status_MapsToOutcome(int status, PublishOutcomeKind expected)
    {
        var outcome = LinkedInErrors.Classify((HttpStatusCode)status, """{"status":0,"message":"said"}""", null, "202601", Now);

        Assert.Equal(expected, outcome.Kind);
        Assert.Equal(status, outcome.HttpStatus);
    }

    [Fact]
    public void Classify_DuplicatePost_PublishedWithTheUrnItNames()
    {
        const string body = """
            {"errorDetailType":"com.linkedin.common.error.BadRequest","message":"Content is a duplicate of urn:li:share:7012345678901234567",
             "errorDetails":{"inputErrors":[{"description":"Duplicate post is detected","input":{},"code":"DUPLICATE_POST"}]},"status":422}
            """;

        var outcome = LinkedInErrors.Classify(HttpStatusCode.UnprocessableEntity, body, null, "202601", Now);

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal("urn:li:share:7012345678901234567", outcome.ExternalId);
        Assert.Equal(new Uri("https://www.linkedin.com/feed/update/urn:li:share:7012345678901234567/"), outcome.Url);
    }

    [Fact]
    public void Classify_429WithoutRetryAfter_WaitsUntilMidnightUtc()
    {
        var outcome = LinkedInErrors.Classify(HttpStatusCode.TooManyRequests, null, null, "202601", Now);

        Assert.Equal(TimeSpan.FromMinutes(150), outcome.RetryAfter);
    }

    [Fact]
    public void Classify_429WithRetryAfter_UsesIt()
    {
        var outcome = LinkedInErrors.Classify(HttpStatusCode.TooManyRequests, null, TimeSpan.FromSeconds(90), "202601", Now);

        Assert.Equal(TimeSpan.FromSeconds(90), outcome.RetryAfter);
    }

    [Fact]
    public void Classify_426_NamesTheVersionAndTheSetting()
    {
        var outcome = LinkedInErrors.Classify(
            (HttpStatusCode)426, """{"status":426,"code":"NONEXISTENT_VERSION","message":"Requested version 20240401 is not active"}""", null, "202404", Now);

        Assert.Equal("LinkedIn no longer serves API version 202404 (HTTP 426): Requested version 20240401 is not active: " +
                     "set Herald:LinkedIn:Version to a current version (YYYYMM, at most about a year old).", outcome.Error);
    }

    [Fact]
    public void Classify_HtmlBody_StillClassifiedWithoutQuotingIt()
    {
        var outcome = LinkedInErrors.Classify(HttpStatusCode.BadGateway, "<html>bad gateway</html>", null, "202601", Now);

        Assert.Equal(
            "LinkedIn had a server error (HTTP 502) after the request was sent; the post may exist, so Herald looks for it before sending again.", outcome.Error);
    }
}
