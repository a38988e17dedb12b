using Herald.Platforms;
using Herald.Publications;
using Herald.Sandbox.Hosting;
using Herald.Scheduling;
using Herald.Workers;
using Microsoft.Extensions.Time.Testing;

namespace Herald.IntegrationTests.Workers;

/// <summary>
/// The retry policy (docs/architecture.md step 5) as the workers apply it, on a fake clock: the dispatcher, the Hangfire
/// job and the sandbox all run for real; only time is moved by the test.
/// </summary>
public sealed class RetryScheduleTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly TestDatabase _database = TestDatabase.Sqlite();
    private SandboxServer _sandbox = null!;
    private WorkerHost _workers = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = _clock, Random = new Random(1) });
        _workers = await WorkerHost.StartAsync(_database, WorkerHost.NewCredentialKey(), _clock);
    }

    public async Task DisposeAsync()
    {
        await _workers.DisposeAsync();
        await _sandbox.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Worker_DevTo503ThreeTimesThen201_RetriesAfter1And2And4MinutesAndStoresTheArticle()
    {
        _sandbox.State.FailNextWrites(3, 503);
        var id = (await _workers.ScheduleAsync(Articles.New("Three 503s"), Articles.DevTo(_sandbox), ScheduleTime.At(Start)))[0].Id;

        foreach (var (retries, wait) in new[] { (1, 1), (2, 2), (3, 4) })
        {
            var waiting = await _workers.WaitForAsync(id, p => p.RetryCount == retries && p.Status == PublicationStatus.RetryScheduled);
            Assert.Equal(_clock.GetUtcNow().AddMinutes(wait), waiting.Publication.NextAttemptAt);
            _clock.Advance(TimeSpan.FromMinutes(wait));
        }

        var done = await _workers.WaitForAsync(id, p => p.Status == PublicationStatus.Published);
        Assert.Equal(3, done.Publication.RetryCount);
        Assert.NotNull(done.Publication.ExternalId);
        Assert.NotNull(done.Publication.Url);
        Assert.Equal([0, 1, 3, 7], done.Attempts.Select(a => (int)(a.StartedAt - Start).TotalMinutes));
        // A 503 on a create may come from a gateway after the article was made: each is looked up (not found), then retried.
        Assert.Equal(
            [PublishOutcomeKind.Unknown, PublishOutcomeKind.Unknown, PublishOutcomeKind.Unknown, PublishOutcomeKind.Published],
            done.Attempts.Select(a => a.Outcome));
        var posts = _sandbox.Requests.For("devto").Where(r => r.Method == "POST").ToList();
        Assert.Equal([0, 1, 3, 7], posts.Select(r => (int)(r.ReceivedAt - Start).TotalMinutes));
    }

    [Fact]
    public async Task Worker_DevTo503FourTimesWithMaxRetries3_FailsWithTheLastError()
    {
        _sandbox.State.FailNextWrites(4, 503);
        var id = (await _workers.ScheduleAsync(Articles.New("Four 503s"), Articles.DevTo(_sandbox), ScheduleTime.At(Start)))[0].Id;

        foreach (var (retries, wait) in new[] { (1, 1), (2, 2), (3, 4) })
        {
            await _workers.WaitForAsync(id, p => p.RetryCount == retries && p.Status == PublicationStatus.RetryScheduled);
            _clock.Advance(TimeSpan.FromMinutes(wait));
        }

        var failed = await _workers.WaitForAsync(id, p => p.Status == PublicationStatus.Failed);
        Assert.Equal(4, failed.Attempts.Count);
        Assert.Equal(PublishOutcomeKind.Unknown, failed.Publication.LastErrorKind);
        Assert.Contains("503", failed.Publication.LastError, StringComparison.Ordinal);
        Assert.Null(failed.Publication.NextAttemptAt);
    }

    [Fact]
    public async Task Worker_DevTo429WithRetryAfter600_TriesAgainNotBeforeTenMinutes()
    {
        _sandbox.State.FailNextWrites(1, 429, retryAfterSeconds: 600);
        var id = (await _workers.ScheduleAsync(Articles.New("Told to wait"), Articles.DevTo(_sandbox), ScheduleTime.At(Start)))[0].Id;

        var waiting = await _workers.WaitForAsync(id, p => p.Status == PublicationStatus.RetryScheduled);
        Assert.Equal(Start.AddMinutes(10), waiting.Publication.NextAttemptAt);
        Assert.Equal(PublishOutcomeKind.RateLimited, waiting.Publication.LastErrorKind);
        _clock.Advance(TimeSpan.FromMinutes(10));

        var done = await _workers.WaitForAsync(id, p => p.Status == PublicationStatus.Published);
        Assert.Equal(Start.AddMinutes(10), done.Attempts[1].StartedAt);
        var posts = _sandbox.Requests.For("devto").Where(r => r.Method == "POST").ToList();
        Assert.Equal([Start, Start.AddMinutes(10)], posts.Select(r => r.ReceivedAt));
    }

    [Fact]
    public async Task Worker_DevTo401_FailsAfterOneAttempt()
    {
        var id = (await _workers.ScheduleAsync(Articles.New("Wrong key"), Articles.DevTo(_sandbox, "wrong-key-0123456789", "wrong"), ScheduleTime.At(Start)))[0].Id;

        var failed = await _workers.WaitForAsync(id, p => p.Status == PublicationStatus.Failed);

        Assert.Single(failed.Attempts);
        Assert.Equal(PublishOutcomeKind.Permanent, failed.Publication.LastErrorKind);
        Assert.Equal(401, failed.Attempts[0].HttpStatus);
        Assert.DoesNotContain("wrong-key-0123456789", failed.Publication.LastError, StringComparison.Ordinal);
    }
}
