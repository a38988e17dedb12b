using Herald.Accounts;
using Herald.Contents;
using Herald.Engine;
using Herald.Platforms;
using Herald.Validation;
using Microsoft.Extensions.DependencyInjection;

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
    public async Task Publish_DevTo_ReturnsIdUrlAndOutcome()
    {
        await using var harness = await RunnerHarness.StartAsync();

        var result = await harness.Engine.PublishAsync(RunnerHarness.Article("Engine publishes"), harness.DevToAccount());

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(PublishOutcomeKind.Published, result.Kind);
        Assert.False(string.IsNullOrEmpty(result.ExternalId));
        Assert.Equal(harness.Sandbox.BaseAddress.Authority, result.Url!.Authority);
        Assert.Null(result.Error);
    }

    /// <summary>
    /// Regression: the engine copied the adapter's outcome field by field into a second result type, so a field
    /// added to the outcome (QuotaExhaustedFor) had to be added in three places or was lost on the way. The engine
    /// now hands on the adapter's outcome itself: every field arrives, and only the error is changed (sanitised).
    /// No platform sets every field at once, so the adapter here is a stand-in that answers with such an outcome.
    /// </summary>
    [Fact]
    public async Task Publish_AdapterOutcomeWithEveryFieldSet_ReachesTheCallerWholeWithTheErrorSanitised()
    {
        const string secret = "answer-token-0123456789";
        var answer = new PublishOutcome
        {
            Kind = PublishOutcomeKind.Unknown,
            ExternalId = "42",
            Url = new Uri("https://answering.example/42"),
            Error = $"The platform echoed {secret} back.",
            RetryAfter = TimeSpan.FromSeconds(7),
            QuotaExhaustedFor = TimeSpan.FromMinutes(90),
            HttpStatus = 504,
            RefusedAsDuplicate = true,
            FromUpload = true,
            Draft = "A draft.",
            FoundByLookup = true,
        };
        // A field added to PublishOutcome must be set above, and so is compared below.
        Assert.All(
            typeof(PublishOutcome).GetProperties().Where(p => p.CanWrite),
            p => Assert.False(p.GetValue(answer) is null or false or 0 or PublishOutcomeKind.Published, $"{p.Name} is not set"));
        var services = new ServiceCollection();
        services.AddHerald();
        services.AddSingleton<IPlatformAdapter>(new AnsweringAdapter(answer));
        await using var provider = services.BuildServiceProvider();
        var account = new Account { Platform = "answering", DisplayName = "stand-in", Credentials = new AccountCredentials { ["token"] = secret } };

        var received = await provider.GetRequiredService<IPublishingEngine>().PublishAsync(RunnerHarness.Article("Whole outcome"), account);

        Assert.Equal(answer with { Error = ErrorSanitizer.Sanitize(answer.Error, [secret]) }, received);
        Assert.DoesNotContain(secret, received.Error, StringComparison.Ordinal);
    }

    /// <summary>Answers every publish with one given outcome.</summary>
    private sealed class AnsweringAdapter(PublishOutcome answer) : IPlatformAdapter
    {
        public PlatformDescriptor Platform { get; } = new()
        {
            Id = "answering",
            DisplayName = "Answering",
            Aliases = [],
            DefaultBaseUrl = new Uri("https://answering.example"),
            Capabilities = new PlatformCapabilities(),
        };

        public IReadOnlyList<ValidationProblem> Validate(Content content, Account account) => [];

        public RenderedPayload Render(Content content, Account account) => new("text/plain", content.Body, null);

        public Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default) =>
            Task.FromResult(answer);
    }
}
