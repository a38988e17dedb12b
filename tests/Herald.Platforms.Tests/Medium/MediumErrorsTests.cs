using Herald.Platforms.Medium;

namespace Herald.Platforms.Tests.Medium;

public sealed class MediumErrorsTests
{
    [Theory]
    [InlineData(400, PublishOutcomeKind.Permanent)]
    [InlineData(401, PublishOutcomeKind.Permanent)]
    [InlineData(403, PublishOutcomeKind.Permanent)]
    [InlineData(404, PublishOutcomeKind.Permanent)]
    [InlineData(429, PublishOutcomeKind.RateLimited)]
    [InlineData(500, PublishOutcomeKind.Unknown)]
    [InlineData(503, PublishOutcomeKind.Unknown)]
    public void Classify_Status_MapsToOutcome(int status, PublishOutcomeKind expected)
    {
        var outcome = MediumErrors.Classify(status, """{"errors":[{"message":"said","code":6004}]}""", null);

        Assert.Equal(expected, outcome.Kind);
        Assert.Equal(status, outcome.HttpStatus);
        Assert.Contains("said (code 6004)", outcome.Error);
    }

    [Fact]
    public void Classify_ServerErrorOnARead_TransientBecauseNothingWasCreated()
    {
        var outcome = MediumErrors.Classify(502, null, null, create: false);

        Assert.Equal(PublishOutcomeKind.Transient, outcome.Kind);
    }

    [Fact]
    public void Classify_429WithRetryAfter_WaitsThatLong()
    {
        var outcome = MediumErrors.Classify(429, null, TimeSpan.FromSeconds(12));

        Assert.Equal(TimeSpan.FromSeconds(12), outcome.RetryAfter);
    }

    [Fact]
    public void Classify_401_ExplainsThatMediumIssuesNoNewTokens()
    {
        var outcome = MediumErrors.Classify(401, """{"errors":[{"message":"An access token is required.","code":6000}]}""", null);

        Assert.Equal(
            "Medium refused the integration token (HTTP 401): An access token is required. (code 6000): it is wrong or was revoked. " +
            "Medium issues no new integration tokens, so only an existing one can be set (MEDIUM_ACCESS_TOKEN or the account's access_token).",
            outcome.Error);
    }

    [Fact]
    public void Describe_NotMediumsShape_Null()
    {
        Assert.Null(MediumErrors.Describe("<html>502</html>"));
        Assert.Null(MediumErrors.Describe("""{"error":"x"}"""));
    }
}
