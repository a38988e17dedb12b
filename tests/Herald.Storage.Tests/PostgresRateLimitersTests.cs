using System.Threading.RateLimiting;
using Herald.Platforms;
using Herald.Storage.RateLimiting;
using Herald.Workers.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Herald.Storage.Tests;

/// <summary>
/// The shared rate limiters on a real PostgreSQL. Every "worker" here is its own <see cref="PostgresPublishRateLimiters"/>
/// with its own connection pool, as in separate processes; they share the database and one (fake) clock, as workers
/// that read the database's clock do.
/// </summary>
public sealed class PostgresRateLimitersTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private const int Permits = 3;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan MaxHold = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    private readonly List<NpgsqlDataSource> _dataSources = [];

    // Each test limits its own account, so tests sharing the database never share a window.
    private readonly AccountId _account = AccountId.New();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    [Fact]
    public async Task Acquire_TwoWorkersOnOneDatabase_ShareOneWindow()
    {
        var a = Worker();
        var b = Worker();

        using var first = await a.AcquireAsync(1);
        using var second = await b.AcquireAsync(1);
        using var third = await a.AcquireAsync(1);
        using var fourthOnB = await b.AcquireAsync(1);
        using var fourthOnA = await a.AcquireAsync(1);

        Assert.True(first.IsAcquired);
        Assert.True(second.IsAcquired);
        Assert.True(third.IsAcquired);
        Assert.False(fourthOnB.IsAcquired);
        Assert.False(fourthOnA.IsAcquired);
        // Every slot is still in flight, so none can free sooner than a window from now.
        Assert.Equal(Window, RetryAfter(fourthOnB));
        Assert.Equal(Permits, await SlotsAsync());
    }

    [Fact]
    public void For_SamePlatformAndAccountTwice_GivesTheSameLimiter()
    {
        var worker = Limiters();

        Assert.Same(worker.For("devto", _account), worker.For("devto", _account));
        Assert.NotSame(worker.For("devto", _account), worker.For("devto", AccountId.New()));
    }

    [Fact]
    public void For_PlatformWithoutALimit_GivesNoLimiter()
    {
        Assert.Null(Limiters().For("medium", _account));
    }

    [Fact]
    public async Task Acquire_AWindowAfterCompletion_GivesThePermitsBackToEveryWorker()
    {
        var a = Worker();
        var b = Worker();
        var leases = new[] { await a.AcquireAsync(1), await a.AcquireAsync(1), await b.AcquireAsync(1) };
        Assert.All(leases, lease => Assert.True(lease.IsAcquired));
        // The requests take a while: the window runs from when they completed, not from when they were sent.
        _clock.Advance(TimeSpan.FromSeconds(10));
        var completedAt = _clock.GetUtcNow();

        foreach (var lease in leases)
        {
            lease.Dispose();
        }

        await WaitUntilCompletedAsync();
        _clock.Advance(Window - TimeSpan.FromSeconds(1));
        using (var early = await b.AcquireAsync(1))
        {
            Assert.False(early.IsAcquired);
            // The oldest completed slot frees a window after it completed.
            Assert.Equal(completedAt + Window - _clock.GetUtcNow(), RetryAfter(early));
        }

        _clock.Advance(TimeSpan.FromSeconds(1));
        using var again = await b.AcquireAsync(Permits);
        Assert.True(again.IsAcquired);
        Assert.Equal(Permits, await SlotsAsync());
    }

    [Fact]
    public async Task Park_OnOneWorker_HoldsEveryWorkerBackUntilTheGivenTime()
    {
        var a = Worker();
        var b = Worker();
        var until = _clock.GetUtcNow().AddSeconds(30);

        await a.ParkAsync(until);

        using (var onA = await a.AcquireAsync(1))
        using (var onB = await b.AcquireAsync(1))
        {
            Assert.False(onA.IsAcquired);
            Assert.False(onB.IsAcquired);
            Assert.Equal(TimeSpan.FromSeconds(30), RetryAfter(onB));
        }

        Assert.Equal(0, await SlotsAsync());
        _clock.Advance(TimeSpan.FromSeconds(29));
        using (var early = await b.AcquireAsync(1))
        {
            Assert.Equal(TimeSpan.FromSeconds(1), RetryAfter(early));
        }

        _clock.Advance(TimeSpan.FromSeconds(1));
        using var after = await b.AcquireAsync(1);
        Assert.True(after.IsAcquired);
    }

    [Fact]
    public async Task Park_EarlierTimeThanAnExistingPark_KeepsTheLaterOne()
    {
        var a = Worker();
        var b = Worker();
        var later = _clock.GetUtcNow().AddMinutes(2);

        await a.ParkAsync(later);
        await b.ParkAsync(_clock.GetUtcNow().AddSeconds(10));

        _clock.Advance(TimeSpan.FromSeconds(10));
        using var denied = await a.AcquireAsync(1);
        Assert.False(denied.IsAcquired);
        Assert.Equal(later - _clock.GetUtcNow(), RetryAfter(denied));
    }

    [Fact]
    public async Task Acquire_SlotOfAWorkerThatDiedMidRequest_CountsUntilItsHoldEndsPlusAWindow()
    {
        var dead = Worker();
        var alive = Worker();
        // Never disposed: the worker died with these requests in flight.
        var orphans = await dead.AcquireAsync(Permits);
        Assert.True(orphans.IsAcquired);

        _clock.Advance(MaxHold + Window - TimeSpan.FromSeconds(1));
        using (var early = await alive.AcquireAsync(1))
        {
            Assert.False(early.IsAcquired);
        }

        _clock.Advance(TimeSpan.FromSeconds(1));
        using var freed = await alive.AcquireAsync(1);
        Assert.True(freed.IsAcquired);
        Assert.Equal(1, await SlotsAsync());
    }

    [Fact]
    public async Task Acquire_ThreadOfMorePartsThanTheWindowAllows_TakesTheWholeWindowInsteadOfNeverGoing()
    {
        var a = Worker();
        var b = Worker();

        using var thread = await a.AcquireAsync(Permits + 4);
        using var other = await b.AcquireAsync(1);

        Assert.True(thread.IsAcquired);
        Assert.False(other.IsAcquired);
        Assert.Equal(Permits, await SlotsAsync());
    }

    [Fact]
    public async Task Acquire_ThreadThatDoesNotFitTheRestOfTheWindow_TakesNothing()
    {
        var a = Worker();
        using var one = await a.AcquireAsync(1);

        using var thread = await Worker().AcquireAsync(Permits);

        Assert.False(thread.IsAcquired);
        Assert.Equal(1, await SlotsAsync());
    }

    [Fact]
    public async Task ReturnUnused_FreesTheSlotsForEveryWorkerAtOnce()
    {
        var lease = await Worker().AcquireAsync(Permits);
        Assert.True(lease.IsAcquired);

        PublishRateLimiter.ReturnUnused(lease);
        lease.Dispose(); // given back once: disposing afterwards counts nothing

        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (await SlotsAsync() > 0)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "The returned slots were never freed.");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        using var again = await Worker().AcquireAsync(Permits);
        Assert.True(again.IsAcquired);
    }

    [Fact]
    public async Task Denied_ForSeveralPermits_WaitsUntilThatManyHaveFreed()
    {
        var a = Worker();
        for (var i = 0; i < Permits; i++)
        {
            (await a.AcquireAsync(1)).Dispose(); // completed 10 s apart
            await WaitUntilCompletedAsync();
            _clock.Advance(TimeSpan.FromSeconds(10));
        }

        using var two = await Worker().AcquireAsync(2);

        // Two must free: the second oldest completed 20 s ago, so 40 s more — not the oldest's 30 s.
        Assert.False(two.IsAcquired);
        Assert.Equal(TimeSpan.FromSeconds(40), RetryAfter(two));
    }

    [Fact]
    public async Task Park_IsWhatTheDashboardReads_UntilItIsOver()
    {
        var until = _clock.GetUtcNow().AddMinutes(2);
        await Worker().ParkAsync(until);

        await using var scope = database.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        var paused = await RateLimitState.PausedAsync(db, _clock.GetUtcNow(), CancellationToken.None);
        Assert.Equal(until, paused[RateLimitState.Key("devto", _account)]);
        Assert.Equal(Key, RateLimitState.Key("devto", _account));

        var later = await RateLimitState.PausedAsync(db, until, CancellationToken.None);
        Assert.False(later.ContainsKey(Key));
    }

    [Fact]
    public void AttemptAcquire_SharedLimiter_IsRefusedNamingTheAsyncCall()
    {
        var ex = Assert.Throws<NotSupportedException>(() => Worker().AttemptAcquire(1));

        Assert.Contains("AcquireAsync", ex.Message, StringComparison.Ordinal);
    }

    private PostgresPublishRateLimiters Limiters()
    {
        var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        _dataSources.Add(dataSource);
        var policies = new RateLimitPolicies(
            new PlatformRegistry([]),
            overrides: new Dictionary<string, RateLimitOverride>(StringComparer.OrdinalIgnoreCase)
            {
                ["devto"] = new(Permits: Permits, Window: Window),
            });
        return new PostgresPublishRateLimiters(dataSource, policies, _clock, new PostgresRateLimitHold(MaxHold));
    }

    /// <summary>A worker's limiter for this test's account: a process of its own, sharing the database.</summary>
    private PublishRateLimiter Worker() => Limiters().For("devto", _account)!;

    private static TimeSpan RetryAfter(RateLimitLease lease)
    {
        Assert.True(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        return retryAfter;
    }

    private string Key => $"devto:{_account}";

    private async Task<long> SlotsAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM rate_limit_slots WHERE key = @key");
        command.Parameters.AddWithValue("key", Key);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A released lease records its completion in the background; wait until every slot of the key has it.</summary>
    private async Task WaitUntilCompletedAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (true)
        {
            await using var command = dataSource.CreateCommand("SELECT count(*) FROM rate_limit_slots WHERE key = @key AND completed_at IS NULL");
            command.Parameters.AddWithValue("key", Key);
            if ((long)(await command.ExecuteScalarAsync())! == 0)
            {
                return;
            }

            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "The released slots were never marked completed.");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }
}
