using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms;
using Herald.Validation;

namespace Herald.Core.Tests.Platforms;

public sealed class PlatformRegistryTests
{
    private readonly PlatformRegistry _registry = new([new NamedAdapter("devto", "dev.to", "dev_to"), new NamedAdapter("x", "twitter")]);

    [Theory]
    [InlineData("devto")]
    [InlineData("dev.to")]
    [InlineData("dev_to")]
    [InlineData("Dev.To")]
    [InlineData(" DEV-TO ")]
    public void Resolve_AnySpellingOfDevTo_FindsOnePlatform(string name) =>
        Assert.Equal("devto", _registry.Resolve(name).Platform.Id);

    [Fact]
    public void Resolve_Alias_FindsItsPlatform() => Assert.Equal("x", _registry.Resolve("Twitter").Platform.Id);

    [Fact]
    public void Resolve_UnknownName_ThrowsNamingItAndTheKnownOnes()
    {
        var ex = Assert.Throws<UnknownPlatformException>(() => _registry.Resolve("myspace"));

        Assert.Equal("Unknown platform 'myspace'. Known platforms: devto, x.", ex.Message);
    }

    [Fact]
    public void Constructor_TwoPlatformsClaimingOneName_Throws()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            new PlatformRegistry([new NamedAdapter("devto"), new NamedAdapter("forem", "dev.to")]));

        Assert.Contains("'devto'", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>The registry only reads descriptors; this adapter is never asked to publish.</summary>
    private sealed class NamedAdapter(string id, params string[] aliases) : IPlatformAdapter
    {
        public PlatformDescriptor Platform { get; } = new()
        {
            Id = id,
            DisplayName = id,
            Aliases = aliases,
            DefaultBaseUrl = new Uri($"https://{id}.example"),
            Capabilities = new PlatformCapabilities(),
        };

        public IReadOnlyList<ValidationProblem> Validate(Content content, Account account) => [];

        public RenderedPayload Render(Content content, Account account) => new("text/plain", content.Body, null);

        public Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The registry tests never publish.");
    }
}
