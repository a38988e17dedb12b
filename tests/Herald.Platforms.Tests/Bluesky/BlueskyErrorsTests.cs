using System.Net;
using Herald.Platforms.Bluesky;

namespace Herald.Platforms.Tests.Bluesky;

public sealed class BlueskyErrorsTests
{
    [Theory]
    [InlineData(400, "InvalidRequest", PublishOutcomeKind.Permanent)]
    [InlineData(400, "ExpiredToken", PublishOutcomeKind.Permanent)]
    [InlineData(401, "AuthenticationRequired", PublishOutcomeKind.Permanent)]
    [InlineData(403, "Forbidden", PublishOutcomeKind.Permanent)]
    [InlineData(413, "PayloadTooLarge", PublishOutcomeKind.Permanent)]
    [InlineData(429, "RateLimitExceeded", PublishOutcomeKind.RateLimited)]
    [InlineData(500, "InternalServerError", PublishOutcomeKind.Transient)]
    [InlineData(502, "UpstreamFailure", PublishOutcomeKind.Transient)]
    [InlineData(503, "NotEnoughResources", PublishOutcomeKind.Transient)]
    [InlineData(504, "UpstreamTimeout", PublishOutcomeKind.Transient)]
    public void Classify_Status_MapsToOutcome(int status, string name, PublishOutcomeKind expected)
    {
        var outcome = BlueskyErrors.Classify((HttpStatusCode)status, $$"""{"error":"{{name}}","message":"said"}""", null);

        Assert.Equal(expected, outcome.Kind);
        Assert.Equal(status, outcome.HttpStatus);
        Assert.Contains($"{name}: said", outcome.Error);
    }

    [Fact]
    public void Classify_429_KeepsTheWait()
    {
        var outcome = BlueskyErrors.Classify(HttpStatusCode.TooManyRequests, """{"error":"RateLimitExceeded"}""", TimeSpan.FromMinutes(3));

        Assert.Equal(TimeSpan.FromMinutes(3), outcome.RetryAfter);
    }

    [Fact]
    public void Classify_401_NamesTheSettingsNotTheirValues()
    {
        var outcome = BlueskyErrors.Classify(HttpStatusCode.Unauthorized, """{"error":"AuthenticationRequired","message":"Invalid identifier or password"}""", null);

        Assert.Contains("BLUESKY_APP_PASSWORD", outcome.Error);
        Assert.Contains("app password", outcome.Error);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("not json", null, null)]
    [InlineData("""{"error":"ExpiredToken","message":"Token has expired"}""", "ExpiredToken", "Token has expired")]
    [InlineData("""{"message":"only"}""", null, "only")]
    public void Read_Body_NameAndMessage(string? body, string? name, string? message)
    {
        Assert.Equal((name, message), BlueskyErrors.Read(body));
    }

    [Fact]
    public void StrongRef_PartId_RoundTrips()
    {
        var reference = new BlueskyStrongRef("at://did:plc:abc/app.bsky.feed.post/3kabcdefghij2", "bafyreiabc");

        Assert.Equal("at://did:plc:abc/app.bsky.feed.post/3kabcdefghij2|bafyreiabc", reference.ToPartId());
        Assert.Equal(reference, BlueskyStrongRef.FromPartId(reference.ToPartId()));
        Assert.Equal("3kabcdefghij2", reference.RecordKey);
        Assert.Null(BlueskyStrongRef.FromPartId("3kabcdefghij2"));
    }
}
