using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms;
using Herald.Scheduling;
using Herald.Validation;

namespace Herald.Core.Tests.Scheduling;

/// <summary>What a schedule call is checked for before anything is stored: problems are named, never a crash.</summary>
public sealed class ScheduleValidationTests
{
    private static readonly Account Target = new() { Platform = "fake", DisplayName = "fake-account" };

    [Fact]
    public void ThrowIfInvalid_NullItemsAndTargets_AreNamedAsProblems()
    {
        var items = new List<ScheduleItem>
        {
            Item(),
            null!,
            new(Article(), [Target, null!], ScheduleTime.At(DateTimeOffset.UnixEpoch)),
            new(null!, null!, ScheduleTime.At(DateTimeOffset.UnixEpoch)),
        };

        var refused = Assert.Throws<ContentValidationException>(() => ScheduleValidation.ThrowIfInvalid(items, single: false, Registry(), new ContentLimits()));

        Assert.Equal(
            ["items[1]", "items[2].targets[1]", "items[3].content", "items[3].targets"],
            refused.Problems.Select(p => p.Field).Order(StringComparer.Ordinal));
        Assert.All(refused.Problems, p => Assert.Equal("must not be null", p.Message));
    }

    [Fact]
    public void ThrowIfInvalid_SingleCallWithoutContent_NamesTheContent()
    {
        var refused = Assert.Throws<ContentValidationException>(() => ScheduleValidation.ThrowIfInvalid(
            [new ScheduleItem(null!, [Target], ScheduleTime.At(DateTimeOffset.UnixEpoch))], single: true, Registry(), new ContentLimits()));

        Assert.Equal("content", Assert.Single(refused.Problems).Field);
    }

    [Theory]
    [InlineData(3)] // validated in a plain loop
    [InlineData(500)] // validated in parallel
    public void ThrowIfInvalid_AdapterThrows_SurfacesItsOwnException(int count)
    {
        var items = Enumerable.Range(0, count).Select(_ => Item()).ToList();

        var thrown = Assert.Throws<InvalidOperationException>(() =>
            ScheduleValidation.ThrowIfInvalid(items, single: false, Registry(throwing: true), new ContentLimits()));

        Assert.Equal(ThrowingMessage, thrown.Message);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(500)]
    public void ThrowIfInvalid_ValidItems_DoesNotThrow(int count)
    {
        var items = Enumerable.Range(0, count).Select(_ => Item()).ToList();

        var exception = Record.Exception(() => ScheduleValidation.ThrowIfInvalid(items, single: false, Registry(), new ContentLimits()));

        Assert.Null(exception);
    }

    private const string ThrowingMessage = "the adapter's own failure";

    private static ScheduleItem Item() => new(Article(), [Target], ScheduleTime.At(DateTimeOffset.UnixEpoch));

    private static Content Article() => new() { Title = "A title", Body = "A body." };

    private static PlatformRegistry Registry(bool throwing = false) => new([new FakeAdapter(throwing)]);

    /// <summary>Validates (or fails to); never asked to publish.</summary>
    private sealed class FakeAdapter(bool throwing) : IPlatformAdapter
    {
        public PlatformDescriptor Platform { get; } = new()
        {
            Id = "fake",
            DisplayName = "Fake",
            DefaultBaseUrl = new Uri("https://fake.example"),
            Capabilities = new PlatformCapabilities(),
        };

        public IReadOnlyList<ValidationProblem> Validate(Content content, Account account) =>
            throwing ? throw new InvalidOperationException(ThrowingMessage) : [];

        public RenderedPayload Render(Content content, Account account) => new("text/plain", content.Body, null);

        public Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Validation tests never publish.");
    }
}
