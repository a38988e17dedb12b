using Herald.Contents;
using Herald.Formatting;
using Herald.Platforms;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Storage;
using Herald.Workers.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Herald.IntegrationTests.Engine;

/// <summary>
/// Image uploads paced by their own limit (Mastodon: 30 per 30 minutes per account) through Herald's real parts
/// against the sandbox's Mastodon, which enforces that limit on the same fake clock.
/// </summary>
public sealed class UploadPacingTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private ImageWorld _world = null!;

    public async Task InitializeAsync() =>
        _world = await ImageWorld.StartAsync(_clock, new SandboxOptions { Random = new Random(5), TimeProvider = _clock }, h => h.AddMastodon(o => o.MediaPollInterval = TimeSpan.Zero).AddX());

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public void Policies_MastodonUploads_ThirtyPerThirtyMinutes_OffWithThePlatformsLimit()
    {
        var registry = _world.Services.GetRequiredService<PlatformRegistry>();

        Assert.Equal(new RateLimitRule(30, TimeSpan.FromMinutes(30)), new RateLimitPolicies(registry).For(RateLimitPolicies.Uploads("mastodon")));
        Assert.Null(new RateLimitPolicies(registry, overrides: new Dictionary<string, RateLimitOverride> { ["mastodon"] = new(Enabled: false) })
            .For(RateLimitPolicies.Uploads("mastodon")));
        Assert.Null(new RateLimitPolicies(registry, enabled: false).For(RateLimitPolicies.Uploads("mastodon")));
    }

    [Fact]
    public async Task EightPostsOfFourImages_SevenGoThenTheEighthWaitsForTheWindow_NeverA429()
    {
        var image = Path.Combine(_world.Directory, "a.png");
        await File.WriteAllBytesAsync(image, ImageFlow.Png(16, 16));
        var publications = new List<Publication>();
        for (var n = 1; n <= 8; n++)
        {
            var markdown = Path.Combine(_world.Directory, $"post{n}.md");
            await File.WriteAllTextAsync(markdown, $"---\nimages: [{{src: ./a.png, alt: one}}, {{src: ./a.png, alt: two}}, {{src: ./a.png, alt: three}}, {{src: ./a.png, alt: four}}]\n---\nPost number {n}.\n");
            var content = await new MarkdownFileReader(new ContentLimits(), _clock).ReadAsync(markdown);
            publications.Add(await ImageFlow.ScheduleAsync(_world.Services, content, ImageFlow.Mastodon(_world.Sandbox), _clock));
        }

        foreach (var publication in publications)
        {
            await ImageFlow.RunAsync(_world.Services, publication.Id);
        }

        // 7 × 4 = 28 uploads fit in 30; the eighth post's 4 do not, so it waits without sending anything.
        var uploads = _world.Sandbox.Requests.For("mastodon").Where(r => r.Path == "/mastodon/api/v2/media").ToList();
        Assert.Equal(28, uploads.Count);
        Assert.All(uploads, r => Assert.NotEqual(429, r.StatusCode));
        var eighth = await GetAsync(publications[^1].Id);
        Assert.Equal(PublicationStatus.Scheduled, eighth.Status);
        Assert.Empty(eighth.UploadedMedia);
        Assert.Equal((0, 0), (eighth.AttemptCount, eighth.RetryCount)); // waiting for room uses no attempt and no retry
        // The create permit it was granted before the uploads were refused was given back: 7 of 300 used, not 8.
        var creates = _world.Services.GetRequiredService<IPublishRateLimiters>().For("mastodon", eighth.AccountId)!;
        Assert.Equal(300 - 7, creates.GetStatistics()!.CurrentAvailablePermits);
        Assert.InRange(eighth.NextAttemptAt!.Value - _clock.GetUtcNow(), TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(31));
        Assert.Equal(7, _world.Sandbox.State.Mastodon.Statuses.Count);

        _clock.Advance(eighth.NextAttemptAt.Value - _clock.GetUtcNow());
        var outcome = await ImageFlow.RunAsync(_world.Services, eighth.Id);

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        Assert.Equal(4, Assert.Single(_world.Sandbox.State.Mastodon.Statuses, s => s.Id == outcome.ExternalId).Media.Count);
        Assert.DoesNotContain(_world.Sandbox.Requests.For("mastodon"), r => r.StatusCode == 429);
    }

    [Fact]
    public async Task UploadAnswered429_HoldsBackTheAccountsUploads_NotItsPosts()
    {
        var publication = await ScheduleOneImageAsync("An upload meets a 429.", ImageFlow.Mastodon(_world.Sandbox));
        var outcome = await RunWithFaultAsync(publication.Id, new SandboxFaults { RateLimitRate = 1, RetryAfterSeconds = 600, PathContains = "/api/v2/media", MaxFaults = 1 });

        Assert.Equal((PublishOutcomeKind.RateLimited, true), (outcome.Kind, outcome.FromUpload));
        var limiters = _world.Services.GetRequiredService<IPublishRateLimiters>();
        using (var upload = await limiters.For(RateLimitPolicies.Uploads("mastodon"), publication.AccountId)!.AcquireAsync(1))
        {
            Assert.False(upload.IsAcquired, "uploads wait for the platform's reset");
        }

        var post = await limiters.For("mastodon", publication.AccountId)!.AcquireAsync(1);
        Assert.True(post.IsAcquired, "a text post to the same account goes on");
        PublishRateLimiter.ReturnUnused(post);
    }

    [Fact]
    public async Task XUploadTooOldToReuse_IsMadeAgain_AndTakesAnUploadPermitAgain()
    {
        var publication = await ScheduleOneImageAsync("A retry a day later.", ImageFlow.X(_world.Sandbox));
        // The upload goes through, the create is refused (a 429, so nothing was posted): the upload is kept for the retry.
        var refused = await RunWithFaultAsync(publication.Id, new SandboxFaults { RateLimitRate = 1, RetryAfterSeconds = 60, PathContains = "/2/tweets", MaxFaults = 1 });
        Assert.Equal((PublishOutcomeKind.RateLimited, false), (refused.Kind, refused.FromUpload));

        var uploadsLimiter = _world.Services.GetRequiredService<IPublishRateLimiters>().For(RateLimitPolicies.Uploads("x"), publication.AccountId)!;
        Assert.Equal(500 - 1, uploadsLimiter.GetStatistics()!.CurrentAvailablePermits);

        // 21 hours on, past the 20 Herald reuses an X upload for: the retry uploads the image again, and that upload
        // took a permit of its own (the first one's window has long passed).
        _clock.Advance(TimeSpan.FromHours(21));
        var outcome = await ImageFlow.RunAsync(_world.Services, publication.Id);

        Assert.True(outcome.Kind == PublishOutcomeKind.Published, outcome.Error);
        Assert.Equal(2, _world.Sandbox.Requests.For("x").Count(r => r.Path == "/x/2/media/upload"));
        Assert.Equal(500 - 1, uploadsLimiter.GetStatistics()!.CurrentAvailablePermits);
    }

    private async Task<Publication> ScheduleOneImageAsync(string text, Herald.Accounts.Account account)
    {
        await File.WriteAllBytesAsync(Path.Combine(_world.Directory, "a.png"), ImageFlow.Png(16, 16));
        var markdown = Path.Combine(_world.Directory, "post.md");
        await File.WriteAllTextAsync(markdown, $"---\nimages: [{{src: ./a.png, alt: one}}]\n---\n{text}\n");
        var content = await new MarkdownFileReader(new ContentLimits(), _clock).ReadAsync(markdown);
        return await ImageFlow.ScheduleAsync(_world.Services, content, account, _clock);
    }

    /// <summary>One attempt while the sandbox injects <paramref name="faults"/>.</summary>
    private async Task<PublishOutcome> RunWithFaultAsync(PublicationId id, SandboxFaults faults)
    {
        _world.Sandbox.State.Faults = faults;
        try
        {
            return await ImageFlow.RunAsync(_world.Services, id);
        }
        finally
        {
            _world.Sandbox.State.Faults = SandboxFaults.None;
        }
    }

    private async Task<Publication> GetAsync(PublicationId id)
    {
        await using var scope = _world.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetPublicationAsync(id))!;
    }
}
