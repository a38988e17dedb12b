using Herald.Platforms.Threads;

namespace Herald.Platforms.Tests.Threads;

public sealed class ThreadsErrorsTests
{
    [Theory]
    [InlineData(500, 1, null, PublishOutcomeKind.Transient)]
    [InlineData(400, 2, null, PublishOutcomeKind.Transient)]
    [InlineData(400, 24, 4279009, PublishOutcomeKind.Transient)]
    [InlineData(400, 4, null, PublishOutcomeKind.RateLimited)]
    [InlineData(403, 17, null, PublishOutcomeKind.RateLimited)]
    [InlineData(400, 190, 463, PublishOutcomeKind.Permanent)]
    [InlineData(403, 10, null, PublishOutcomeKind.Permanent)]
    [InlineData(403, 200, null, PublishOutcomeKind.Permanent)]
    [InlineData(403, 299, null, PublishOutcomeKind.Permanent)]
    [InlineData(400, 100, 33, PublishOutcomeKind.Permanent)]
    [InlineData(400, 24, null, PublishOutcomeKind.Permanent)]
    [InlineData(400, 368, null, PublishOutcomeKind.Permanent)]
    [InlineData(503, 368, null, PublishOutcomeKind.Transient)]
    public void Classify_GraphCode_MapsToOutcome(int status, int code, int? subcode, PublishOutcomeKind expected)
    {
        var outcome = ThreadsErrors.Classify(status, GraphBody(code, subcode), null);

        Assert.Equal(expected, outcome.Kind);
        Assert.Equal(status, outcome.HttpStatus);
    }

    [Theory]
    [InlineData(429, PublishOutcomeKind.RateLimited)]
    [InlineData(500, PublishOutcomeKind.Transient)]
    [InlineData(502, PublishOutcomeKind.Transient)]
    [InlineData(401, PublishOutcomeKind.Permanent)]
    [InlineData(404, PublishOutcomeKind.Permanent)]
    public void Classify_NoGraphError_MapsByStatus(int status, PublishOutcomeKind expected)
    {
        // A proxy's or the sandbox fault's body: "error" is a string, not Graph's object.
        var outcome = ThreadsErrors.Classify(status, """{"error":"Service Unavailable","status":503}""", null);

        Assert.Equal(expected, outcome.Kind);
    }

    [Fact]
    public void Classify_Throttle_KeepsRetryAfter()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), ThreadsErrors.Classify(400, GraphBody(4, null), TimeSpan.FromSeconds(30)).RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(5), ThreadsErrors.Classify(429, "<html>slow down</html>", TimeSpan.FromSeconds(5)).RetryAfter);
    }

    [Fact]
    public void Classify_LinkLimitExceeded_PermanentSayingFiveLinks()
    {
        const string body = """
            {"error":{"message":"THREADS_API__LINK_LIMIT_EXCEEDED","type":"GraphMethodException","code":100,
             "error_user_title":"Link limit exceeded","error_user_msg":"A post can contain at most 5 unique links; this one has 6.","fbtrace_id":"AbC"}}
            """;

        var outcome = ThreadsErrors.Classify(400, body, null);

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("more than 5 links (THREADS_API__LINK_LIMIT_EXCEEDED)", outcome.Error);
        Assert.Contains("this one has 6", outcome.Error);
        Assert.Contains("fbtrace_id AbC", outcome.Error);
    }

    [Theory]
    [InlineData(463, "it has expired")]
    [InlineData(460, "password")]
    [InlineData(458, "removed the app")]
    [InlineData(null, "wrong or expired")]
    public void Classify_Token190_SaysWhyAndWhatToDo(int? subcode, string why)
    {
        var outcome = ThreadsErrors.Classify(400, GraphBody(190, subcode), null);

        Assert.Contains(why, outcome.Error);
        Assert.Contains("THREADS_ACCESS_TOKEN", outcome.Error);
        Assert.Contains("access_token credential", outcome.Error);
    }

    [Fact]
    public void Classify_Permission_NamesThePermissionsPublishingNeeds()
    {
        var outcome = ThreadsErrors.Classify(403, GraphBody(10, null), null);

        Assert.Contains("threads_content_publish", outcome.Error);
        Assert.Contains("threads_manage_replies", outcome.Error);
    }

    [Fact]
    public void Classify_InvalidParameter_QuotesGraphsWords()
    {
        const string body = """{"error":{"message":"Param text is required for a TEXT post.","type":"GraphMethodException","code":100,"fbtrace_id":"Xy1"}}""";

        var outcome = ThreadsErrors.Classify(400, body, null);

        Assert.Equal("Threads refused a parameter (error 100): Param text is required for a TEXT post. (fbtrace_id Xy1).", outcome.Error);
    }

    [Fact]
    public void IsNotFoundYetAndMayHaveTakenEffect_ReadTheCodes()
    {
        Assert.True(ThreadsErrors.IsNotFoundYet(ThreadsErrors.Parse(GraphBody(24, 4279009))));
        Assert.False(ThreadsErrors.IsNotFoundYet(ThreadsErrors.Parse(GraphBody(24, 1))));
        Assert.True(ThreadsErrors.MayHaveTakenEffect(ThreadsErrors.Parse(GraphBody(1, null))));
        Assert.True(ThreadsErrors.MayHaveTakenEffect(ThreadsErrors.Parse(GraphBody(2, null))));
        Assert.False(ThreadsErrors.MayHaveTakenEffect(ThreadsErrors.Parse(GraphBody(100, null))));
        Assert.Null(ThreadsErrors.Parse("not json"));
        Assert.Null(ThreadsErrors.Parse(""));
    }

    private static string GraphBody(int code, int? subcode)
    {
        var sub = subcode is { } s ? $",\"error_subcode\":{s}" : "";
        return "{\"error\":{\"message\":\"said\",\"type\":\"OAuthException\",\"code\":" + code + sub + ",\"fbtrace_id\":\"T1\"}}";
    }
}
