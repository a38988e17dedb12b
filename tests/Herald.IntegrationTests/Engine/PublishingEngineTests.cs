using Herald.Accounts;
using Herald.Engine;
using Herald.Platforms;

namespace Herald.IntegrationTests.Engine;

public sealed class PublishingEngineTests
{
    [Fact]
    public async Task Publish_UnknownPlatform_FailsClearlyAndNeverSucceeds()
    {
        await using var harness = await RunnerHarness.StartAsync();
        var engine = harness.Engine;
        var account = new Account { Platform = "myspace", DisplayName = "old" };

        var result = await engine.PublishAsync(RunnerHarness.Article("Unknown platform"), account);

        Assert.False(result.IsSuccess);
        Assert.Equal(PublishOutcomeKind.Permanent, result.Kind);
        // Every platform the harness composes, in registration order.
        Assert.Equal("Unknown platform 'myspace'. Known platforms: devto, linkedin, x, medium, bluesky, threads.", result.Error);
        Assert.Empty(harness.Sandbox.Requests.All);
    }

    [Fact]
    public async Task Publish_TitleTooLongForDevTo_FailsWithoutSending()
    {
        await using var harness = await RunnerHarness.StartAsync();
        var content = RunnerHarness.Article(new string('t', 200));

        var result = await harness.Engine.PublishAsync(content, harness.DevToAccount());

        Assert.False(result.IsSuccess);
        Assert.Contains("title", result.Error, StringComparison.Ordinal);
        Assert.Contains("128", result.Error, StringComparison.Ordinal);
        Assert.Empty(harness.Sandbox.Requests.All);
    }

    [Fact]
    public async Task Publish_DevTo_ReturnsPlatformIdUrlAndOutcome()
    {
        await using var harness = await RunnerHarness.StartAsync();

        var result = await harness.Engine.PublishAsync(RunnerHarness.Article("Engine publishes"), harness.DevToAccount());

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(PublishOutcomeKind.Published, result.Kind);
        Assert.False(string.IsNullOrEmpty(result.ExternalId));
        Assert.Equal(harness.Sandbox.BaseAddress.Authority, result.Url!.Authority);
        Assert.Null(result.Error);
    }
}
