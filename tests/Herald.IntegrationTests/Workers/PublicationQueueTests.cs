using System.Security.Cryptography;
using Herald.Accounts;
using Herald.Contents;
using Herald.Publications;
using Herald.Scheduling;
using Herald.Storage;
using Herald.Storage.Queue;
using Herald.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Herald.IntegrationTests.Workers;

/// <summary>The dispatcher's claim on both databases: who gets a row back, and as fresh or as recovered.</summary>
public sealed class PublicationQueueTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClaimDue_DueRow_ComesBackFreshLeasedToTheClaim(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        var id = await SeedAsync(services, due: Now.AddSeconds(-1));
        var queue = services.GetRequiredService<IPublicationQueue>();

        var claimed = await queue.ClaimDueAsync(10, Now, Now.AddMinutes(5), "claim-a");

        Assert.Equal([new ClaimedPublication(id, Recovered: false)], claimed);
        var stored = await LoadAsync(services, id);
        Assert.Equal(PublicationStatus.Publishing, stored.Status);
        Assert.Equal("claim-a", stored.LeaseOwner);
        Assert.Equal(1, stored.AttemptCount);
        Assert.Empty(await queue.ClaimDueAsync(10, Now, Now.AddMinutes(5), "claim-b"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClaimDue_HoldingAhead_TakesWhatFallsDueWithinItWithItsInstantAndNothingLater(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        var dueNow = await SeedAsync(services, due: Now.AddSeconds(-1));
        var dueSoon = await SeedAsync(services, due: Now.AddMilliseconds(1500));
        var dueAtTheEdge = await SeedAsync(services, due: Now.AddSeconds(2));
        var dueLater = await SeedAsync(services, due: Now.AddSeconds(2).AddTicks(10));
        var queue = services.GetRequiredService<IPublicationQueue>();

        var claimed = await queue.ClaimDueAsync(10, Now, TimeSpan.FromSeconds(2), Now.AddMinutes(5), "claim-ahead");

        Assert.Equal(
            [
                new ClaimedPublication(dueNow, Recovered: false),
                new ClaimedPublication(dueSoon, Recovered: false, Now.AddMilliseconds(1500)),
                new ClaimedPublication(dueAtTheEdge, Recovered: false, Now.AddSeconds(2)),
            ],
            claimed);
        Assert.Equal(PublicationStatus.Publishing, (await LoadAsync(services, dueSoon)).Status);
        Assert.Equal(PublicationStatus.Scheduled, (await LoadAsync(services, dueLater)).Status);
        // The next look is HoldAhead before the row still waiting.
        Assert.Equal(Now.AddTicks(10), await queue.NextWakeAsync(TimeSpan.FromSeconds(2)));
        Assert.Equal(Now.AddSeconds(2).AddTicks(10), await queue.NextWakeAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NextWake_LeaseExpiringFirst_IsNotMovedAheadByHolding(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        await SeedAsync(services, due: Now.AddMinutes(-10));
        var queue = services.GetRequiredService<IPublicationQueue>();
        await queue.ClaimDueAsync(10, Now.AddMinutes(-10), Now.AddSeconds(30), ClaimTokens.New());
        await SeedAsync(services, due: Now.AddMinutes(1));

        Assert.Equal(Now.AddSeconds(30), await queue.NextWakeAsync(TimeSpan.FromSeconds(2)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClaimDue_ExpiredClaimThatNoJobTook_ComesBackFreshNotRecovered(bool postgres)
    {
        // Nothing can have been sent for a row no job took over: no lookup on the platform, no review.
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        var id = await SeedAsync(services, due: Now.AddMinutes(-10));
        var queue = services.GetRequiredService<IPublicationQueue>();
        await queue.ClaimDueAsync(10, Now.AddMinutes(-10), Now.AddMinutes(-5), ClaimTokens.New());

        var claimed = await queue.ClaimDueAsync(10, Now, Now.AddMinutes(5), "claim-again");

        Assert.Equal([new ClaimedPublication(id, Recovered: false)], claimed);
        Assert.Equal(1, (await LoadAsync(services, id)).AttemptCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClaimDue_ExpiredLeaseOfARunningJob_ComesBackRecovered(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        var id = await SeedAsync(services, due: Now.AddMinutes(-10));
        var queue = services.GetRequiredService<IPublicationQueue>();
        var token = ClaimTokens.New();
        await queue.ClaimDueAsync(10, Now.AddMinutes(-10), Now.AddMinutes(-5), token);
        Assert.Equal([id], await queue.TakeOwnershipAsync([id], token, "run-dead", Now.AddMinutes(-4)));

        var claimed = await queue.ClaimDueAsync(10, Now, Now.AddMinutes(5), "claim-again");

        Assert.Equal([new ClaimedPublication(id, Recovered: true)], claimed);
        Assert.Empty(await queue.TakeOwnershipAsync([id], token, "run-rerun", Now.AddMinutes(5)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TakeOwnership_KeepingFromAnInstant_KeepsALeaseEndingAtOrAfterItAndRenewsAnEarlierOne(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        var fresh = await SeedAsync(services, due: Now.AddSeconds(-2));
        var stale = await SeedAsync(services, due: Now.AddSeconds(-2));
        var queue = services.GetRequiredService<IPublicationQueue>();
        var (freshClaim, staleClaim) = (ClaimTokens.New(), ClaimTokens.New());
        await queue.ClaimDueAsync(1, Now, Now.AddMinutes(5), freshClaim);
        await queue.ClaimDueAsync(1, Now, Now.AddMinutes(4), staleClaim);
        var (first, second) = (await LoadAsync(services, fresh)).LeaseOwner == freshClaim ? (fresh, stale) : (stale, fresh);

        // The job starts with its claim's lease (until 09:05) still whole: kept. The other's (until 09:04) is renewed.
        Assert.Equal([first], await queue.TakeOwnershipAsync([first], freshClaim, "run-kept", Now.AddMinutes(5).AddSeconds(1), keepLeaseFrom: Now.AddMinutes(5)));
        Assert.Equal([second], await queue.TakeOwnershipAsync([second], staleClaim, "run-renewed", Now.AddMinutes(5).AddSeconds(1), keepLeaseFrom: Now.AddMinutes(5)));

        var kept = await LoadAsync(services, first);
        Assert.Equal(("run-kept", Now.AddMinutes(5)), (kept.LeaseOwner, kept.LeaseExpiresAt));
        var renewed = await LoadAsync(services, second);
        Assert.Equal(("run-renewed", Now.AddMinutes(5).AddSeconds(1)), (renewed.LeaseOwner, renewed.LeaseExpiresAt));
    }

    /// <summary>
    /// What the worker writes between a claim and an outcome — the job taking its rows moments after the claim, then
    /// "a send is starting" — changes no indexed column, so PostgreSQL can update the rows in place (a heap-only
    /// update adds no entry to any of the table's indexes). Two rows, so their page has room for every version
    /// whether or not an old one was pruned in between: the test is about the columns written. How much the fill
    /// factor's free room adds on a busy table is measured by the benchmark (docs/benchmarks.md), not here.
    /// </summary>
    [Fact]
    public async Task TakeOwnershipAndTheSendsMark_OnPostgres_AreHeapOnlyUpdates()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await using var services = await BuildAsync(database);
        var ids = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            ids.Add((await SeedAsync(services, due: Now.AddSeconds(-1))).Value);
        }

        var token = ClaimTokens.New();
        Assert.Equal(2, (await services.GetRequiredService<IPublicationQueue>().ClaimDueAsync(10, Now, Now.AddMinutes(5), token)).Count);

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal($"{{fillfactor={PostgresHeraldDbContext.PublicationsFillFactor}}}", await ScalarAsync<string>(connection, null, "SELECT reloptions::text FROM pg_class WHERE relname = 'publications'"));
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var take = new NpgsqlCommand(PostgresQueueSql.TakeOwnership, connection, transaction);
            take.Parameters.AddWithValue("ids", ids.ToArray());
            take.Parameters.AddWithValue("token", token);
            take.Parameters.AddWithValue("run", "run-in-place");
            take.Parameters.AddWithValue("lease", Now.AddMinutes(5).AddSeconds(1));
            take.Parameters.AddWithValue("keep_from", Now.AddMinutes(5).AddSeconds(-1));
            Assert.Equal((2, 2), await UpdatedAndHeapOnlyAsync(connection, transaction, async () => Assert.Equal(2, await take.ExecuteNonQueryAsync())));
            await transaction.CommitAsync();
        }

        // The send's mark as the group writer sends it: the columns BeginSend changes, and — when marks share a
        // statement with outcomes — status and updated_at written again with the values they have.
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var mark = new NpgsqlCommand(
                """
                UPDATE publications SET uncertain_since = @since, work_started_at = @since, version = version + 1,
                    status = status, updated_at = updated_at
                WHERE id = ANY(@ids) AND lease_owner = 'run-in-place'
                """,
                connection,
                transaction);
            mark.Parameters.AddWithValue("since", Now);
            mark.Parameters.AddWithValue("ids", ids.ToArray());
            Assert.Equal((2, 2), await UpdatedAndHeapOnlyAsync(connection, transaction, async () => Assert.Equal(2, await mark.ExecuteNonQueryAsync())));
        }
    }

    /// <summary>
    /// Rows of <c>publications</c> that <paramref name="write"/> updated, and how many of those in place: the
    /// difference of this session's counters around it (they also hold earlier writes not yet reported).
    /// </summary>
    private static async Task<(int Updated, int HeapOnly)> UpdatedAndHeapOnlyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Func<Task> write)
    {
        const string Counters = "SELECT pg_stat_get_xact_tuples_updated(c.oid) || '/' || pg_stat_get_xact_tuples_hot_updated(c.oid) FROM pg_class c WHERE relname = 'publications'";
        var before = (await ScalarAsync<string>(connection, transaction, Counters)).Split('/').Select(int.Parse).ToArray();
        await write();
        var after = (await ScalarAsync<string>(connection, transaction, Counters)).Split('/').Select(int.Parse).ToArray();
        return (after[0] - before[0], after[1] - before[1]);
    }

    /// <summary>
    /// The mark's columns, from the model: BeginSend, BeginLookup and ResolveUncertainty change no column that an
    /// index of <c>publications</c> holds or filters on, so the test above stays true as the model grows.
    /// </summary>
    [Fact]
    public async Task WorkersNotesDuringAnAttempt_ChangeNoIndexedColumn()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await using var services = await BuildAsync(database);
        var id = await SeedAsync(services, due: Now.AddSeconds(-1));
        await services.GetRequiredService<IPublicationQueue>().ClaimDueAsync(10, Now, Now.AddMinutes(5), ClaimTokens.New());
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        var publication = await db.Publications.SingleAsync(p => p.Id == id);
        var entity = db.Model.FindEntityType(typeof(Publication))!;
        var indexed = entity.GetIndexes().SelectMany(i => i.Properties.Select(p => p.GetColumnName())
                .Concat(i.GetFilter() is { } filter ? entity.GetProperties().Select(p => p.GetColumnName()).Where(c => filter.Contains(c, StringComparison.Ordinal)) : []))
            .Concat(entity.FindPrimaryKey()!.Properties.Select(p => p.GetColumnName()))
            .ToHashSet();
        Assert.Contains("status", indexed);
        Assert.Contains("updated_at", indexed);

        publication.BeginSend(Now);
        Assert.Equal(["uncertain_since", "version", "work_started_at"], Changed());
        Assert.Empty(Changed().Intersect(indexed));

        publication.ResolveUncertainty();
        publication.BeginLookup(Now);
        Assert.Empty(Changed().Intersect(indexed));

        List<string> Changed()
        {
            db.ChangeTracker.DetectChanges();
            return [.. db.Entry(publication).Properties.Where(p => p.IsModified).Select(p => p.Metadata.GetColumnName()).Order()];
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReleaseClaim_ClaimNoJobTook_IsTakenByTheNextClaimAtOnceAsFreshWithNoAttemptCountedTwice(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        var id = await SeedAsync(services, due: Now.AddSeconds(-1));
        var queue = services.GetRequiredService<IPublicationQueue>();
        var token = ClaimTokens.New();
        await queue.ClaimDueAsync(10, Now, Now.AddMinutes(5), token);
        Assert.Empty(await queue.ClaimDueAsync(10, Now.AddSeconds(1), Now.AddMinutes(5), "claim-too-early"));

        Assert.Equal(1, await queue.ReleaseClaimAsync(token, Now.AddSeconds(1)));

        Assert.Equal(Now.AddSeconds(1), await queue.NextWakeAsync());
        var claimed = await queue.ClaimDueAsync(10, Now.AddSeconds(2), Now.AddMinutes(5), "claim-next");
        Assert.Equal([new ClaimedPublication(id, Recovered: false)], claimed);
        var stored = await LoadAsync(services, id);
        Assert.Equal("claim-next", stored.LeaseOwner);
        Assert.Equal(1, stored.AttemptCount);
        Assert.Equal(0, stored.RecoveryCount);
        // The failed hand-off's job, should it run after all, finds nothing left under its claim.
        Assert.Empty(await queue.TakeOwnershipAsync([id], token, "run-late", Now.AddMinutes(5)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReleaseClaim_RowsAJobAlreadyTook_AreLeftUnderTheJobsLease(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        var taken = await SeedAsync(services, due: Now.AddSeconds(-2));
        var queue = services.GetRequiredService<IPublicationQueue>();
        var token = ClaimTokens.New();
        await queue.ClaimDueAsync(10, Now, Now.AddMinutes(5), token);
        Assert.Equal([taken], await queue.TakeOwnershipAsync([taken], token, "run-alive", Now.AddMinutes(5)));

        Assert.Equal(0, await queue.ReleaseClaimAsync(token, Now.AddSeconds(1)));

        Assert.Empty(await queue.ClaimDueAsync(10, Now.AddSeconds(2), Now.AddMinutes(5), "claim-other"));
        var stored = await LoadAsync(services, taken);
        Assert.Equal("run-alive", stored.LeaseOwner);
        Assert.Equal(Now.AddMinutes(5), stored.LeaseExpiresAt);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispatcher_HandOffToTheJobEngineFails_GivesTheClaimBackForAnyWorkerToTakeAtOnce(bool postgres)
    {
        // A worker whose job engine cannot take a batch (its database connection failing, say) must not keep
        // the rows it claimed from every other worker for a whole lease.
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        var ids = new[] { await SeedAsync(services, due: Now.AddSeconds(-3)), await SeedAsync(services, due: Now.AddSeconds(-2)) };
        var queue = services.GetRequiredService<IPublicationQueue>();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
        var sink = new FailingSink();
        var options = new WorkerOptions { LeaseDuration = TimeSpan.FromMinutes(5) };
        var dispatcher = new Dispatcher(
            queue, sink, new DueSignal(), options, TimeSpan.FromMinutes(1), clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<Dispatcher>.Instance);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => dispatcher.DispatchOnceAsync(CancellationToken.None));

        Assert.Equal("the job engine is unreachable", failure.Message);
        Assert.Equal(1, sink.Attempts);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var claimed = await queue.ClaimDueAsync(10, clock.GetUtcNow(), clock.GetUtcNow().AddMinutes(5), "claim-healthy-worker");
        Assert.Equal(ids.Select(i => i.Value).Order(), claimed.Select(c => c.Id.Value).Order());
        Assert.All(claimed, c => Assert.False(c.Recovered));
        foreach (var id in ids)
        {
            Assert.Equal(1, (await LoadAsync(services, id)).AttemptCount);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispatcher_HandOffFailsForARowHeldAhead_GivesItBackNotBeforeItsDueInstant(bool postgres)
    {
        // Claimed 1.5 s ahead of its due instant: given back now, another worker would send it early.
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        var held = await SeedAsync(services, due: Now.AddMilliseconds(1500));
        var queue = services.GetRequiredService<IPublicationQueue>();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
        var options = new WorkerOptions { LeaseDuration = TimeSpan.FromMinutes(5), HoldAhead = TimeSpan.FromSeconds(2) };
        var dispatcher = new Dispatcher(
            queue, new FailingSink(), new DueSignal(), options, TimeSpan.FromMinutes(1), clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<Dispatcher>.Instance);

        await Assert.ThrowsAsync<InvalidOperationException>(() => dispatcher.DispatchOnceAsync(CancellationToken.None));

        Assert.Equal(Now.AddMilliseconds(1500), (await LoadAsync(services, held)).LeaseExpiresAt);
        Assert.Empty(await queue.ClaimDueAsync(10, Now.AddSeconds(1), Now.AddMinutes(5), "claim-before-the-instant"));
        Assert.Equal(
            [new ClaimedPublication(held, Recovered: false)],
            await queue.ClaimDueAsync(10, Now.AddMilliseconds(1501), Now.AddMinutes(5), "claim-after-the-instant"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispatcher_FullBatchAllDueAhead_HoldsUpToHeldBatchSizeInOneBatch(bool postgres)
    {
        // Seven due at one instant 1.5 s ahead, batches of 2: held in batches of 2 (and 3 running workers of 4), some
        // would wait for a worker while the instant passed. One batch takes up to HeldBatchSize of them.
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        var due = Now.AddMilliseconds(1500);
        var ids = new List<PublicationId>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await SeedAsync(services, due));
        }

        var sink = new RecordingSink();
        var dispatcher = SmallHeldBatchesDispatcher(services.GetRequiredService<IPublicationQueue>(), sink);

        await dispatcher.DispatchOnceAsync(CancellationToken.None);

        Assert.Equal([5, 2], sink.Batches.Select(b => b.Fresh.Count));
        Assert.Equal(ids.Select(i => i.Value).Order(), sink.Batches.SelectMany(b => b.Fresh).Order());
        Assert.All(sink.Batches, b => Assert.Equal(b.Fresh.Order(), b.NotBefore!.Keys.Order()));
        Assert.All(sink.Batches.SelectMany(b => b.NotBefore!.Values), at => Assert.Equal(due, at));
        // One claim per batch, under one token: the job takes the whole batch over at once.
        Assert.Equal(2, sink.Batches.Select(b => b.ClaimToken).Distinct().Count());
        foreach (var batch in sink.Batches)
        {
            var owned = await services.GetRequiredService<IPublicationQueue>().TakeOwnershipAsync(
                [.. batch.Fresh.Select(g => new PublicationId(g))], batch.ClaimToken, $"run-{Guid.NewGuid():N}", Now.AddMinutes(5));
            Assert.Equal(batch.Fresh.Count, owned.Count);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispatcher_SecondClaimOfAHeldBatchTakesRowsThenFails_GivesThemBackNotBeforeTheyAreDue(bool postgres)
    {
        // The claim that makes a held batch bigger took its rows, then its answer was lost: everything under the claim
        // is given back, and none of it may be claimed as due before the latest instant it can be held for.
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        var early = new[] { await SeedAsync(services, Now.AddMilliseconds(500)), await SeedAsync(services, Now.AddMilliseconds(500)) };
        var late = new[] { await SeedAsync(services, Now.AddMilliseconds(1800)), await SeedAsync(services, Now.AddMilliseconds(1800)) };
        var queue = services.GetRequiredService<IPublicationQueue>();
        var sink = new RecordingSink();
        var dispatcher = SmallHeldBatchesDispatcher(new LosingSecondClaim(queue), sink);

        await Assert.ThrowsAsync<TimeoutException>(() => dispatcher.DispatchOnceAsync(CancellationToken.None));

        Assert.Empty(sink.Batches);
        foreach (var id in early.Concat(late))
        {
            Assert.Equal(Now.AddSeconds(2), (await LoadAsync(services, id)).LeaseExpiresAt);
        }

        Assert.Empty(await queue.ClaimDueAsync(10, Now.AddMilliseconds(1900), Now.AddMinutes(5), "claim-before-the-instant"));
    }

    /// <summary>A queue whose second claim takes its rows and then loses its answer.</summary>
    private sealed class LosingSecondClaim(IPublicationQueue inner) : IPublicationQueue
    {
        private int _claims;

        public async Task<IReadOnlyList<ClaimedPublication>> ClaimDueAsync(
            int batchSize, DateTimeOffset now, TimeSpan holdAhead, DateTimeOffset leaseUntil, string claimToken, CancellationToken cancellationToken = default)
        {
            var claimed = await inner.ClaimDueAsync(batchSize, now, holdAhead, leaseUntil, claimToken, cancellationToken);
            return ++_claims == 2 ? throw new TimeoutException("the claim's answer was lost") : claimed;
        }

        public Task<DateTimeOffset?> NextWakeAsync(TimeSpan holdAhead, CancellationToken cancellationToken = default) =>
            inner.NextWakeAsync(holdAhead, cancellationToken);

        public Task<int> ReleaseClaimAsync(string claimToken, DateTimeOffset leaseEndsAt, CancellationToken cancellationToken = default) =>
            inner.ReleaseClaimAsync(claimToken, leaseEndsAt, cancellationToken);

        public Task<IReadOnlyList<PublicationId>> TakeOwnershipAsync(
            IReadOnlyCollection<PublicationId> ids,
            string claimToken,
            string runId,
            DateTimeOffset leaseUntil,
            DateTimeOffset? keepLeaseFrom = null,
            CancellationToken cancellationToken = default) =>
            inner.TakeOwnershipAsync(ids, claimToken, runId, leaseUntil, keepLeaseFrom, cancellationToken);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispatcher_FullBatchDueNow_StaysAtBatchSizeSoThatTheWorkersShareIt(bool postgres)
    {
        // Due now, a full batch is not made bigger: batches of BatchSize spread a backlog over every worker. What is
        // due ahead after it is held in a batch of up to HeldBatchSize.
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        for (var i = 0; i < 4; i++)
        {
            await SeedAsync(services, Now.AddSeconds(-1));
        }

        for (var i = 0; i < 3; i++)
        {
            await SeedAsync(services, Now.AddSeconds(1));
        }

        var sink = new RecordingSink();
        var dispatcher = SmallHeldBatchesDispatcher(services.GetRequiredService<IPublicationQueue>(), sink);

        await dispatcher.DispatchOnceAsync(CancellationToken.None);

        Assert.Equal([2, 2, 3], sink.Batches.Select(b => b.Fresh.Count));
        Assert.Equal([0, 0, 3], sink.Batches.Select(b => b.NotBefore?.Count ?? 0));
    }

    [Fact]
    public void Dispatcher_FailingLooksInARow_WaitTwiceAsLongEachTimeUpTo8Seconds()
    {
        Assert.Equal(
            [1, 2, 4, 8, 8, 8],
            new[] { 1, 2, 3, 4, 5, int.MaxValue }.Select(n => Dispatcher.FailureBackoff(n).TotalSeconds));
    }

    /// <summary>A dispatcher at <see cref="Now"/> claiming batches of 2, held batches of up to 5, 2 s ahead.</summary>
    private static Dispatcher SmallHeldBatchesDispatcher(IPublicationQueue queue, IBatchSink sink) => new(
        queue, sink, new DueSignal(),
        new WorkerOptions { LeaseDuration = TimeSpan.FromMinutes(5), BatchSize = 2, HeldBatchSize = 5, HoldAhead = TimeSpan.FromSeconds(2) },
        TimeSpan.FromMinutes(1),
        new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now), Microsoft.Extensions.Logging.Abstractions.NullLogger<Dispatcher>.Instance);

    private sealed class RecordingSink : IBatchSink
    {
        public List<ClaimedBatch> Batches { get; } = [];

        public Task<long> PendingAsync(CancellationToken cancellationToken = default) => Task.FromResult(0L);

        public Task EnqueueAsync(ClaimedBatch batch, CancellationToken cancellationToken = default)
        {
            Batches.Add(batch);
            return Task.CompletedTask;
        }
    }

    private sealed class FailingSink : IBatchSink
    {
        public int Attempts { get; private set; }

        public Task<long> PendingAsync(CancellationToken cancellationToken = default) => Task.FromResult(0L);

        public Task EnqueueAsync(ClaimedBatch batch, CancellationToken cancellationToken = default)
        {
            Attempts++;
            throw new InvalidOperationException("the job engine is unreachable");
        }
    }

    /// <summary>
    /// Regression (D2): a recovery used to stage the dead attempt's history row with the number the next attempt
    /// would reuse, so a worker dying in between left a row every later recovery collided with on the unique
    /// index — stuck in Publishing forever. The claim itself now counts the lost attempt and writes its row.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClaimDue_RepeatedLeaseExpiries_CountEachLostAttemptOnceAndNeverRepeatANumber(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        var id = await SeedAsync(services, due: Now.AddMinutes(-60));
        var queue = services.GetRequiredService<IPublicationQueue>();
        var at = Now.AddMinutes(-60);
        var token = ClaimTokens.New();
        await queue.ClaimDueAsync(10, at, at.AddMinutes(5), token);
        for (var death = 1; death <= 3; death++)
        {
            // A job takes the row, then its process dies; the lease expires and the next claim recovers it.
            Assert.Equal([id], await queue.TakeOwnershipAsync([id], token, $"run-{death}", at.AddMinutes(5)));
            at = at.AddMinutes(10);
            token = ClaimTokens.New();
            Assert.Equal([new ClaimedPublication(id, Recovered: true)], await queue.ClaimDueAsync(10, at, at.AddMinutes(5), token));
        }

        var stored = await LoadAsync(services, id);
        Assert.Equal(4, stored.AttemptCount);
        // No send had started (uncertain_since unset): the lost attempts are in the history, but they do not push
        // the publication towards review — a worker that died before reaching it did nothing on the platform.
        Assert.Equal(0, stored.RecoveryCount);
        await using var scope = services.CreateAsyncScope();
        var attempts = await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetAttemptsAsync(id);
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Number));
        Assert.All(attempts, a => Assert.Equal(Herald.Platforms.PublishOutcomeKind.Unknown, a.Outcome));
        Assert.All(attempts, a => Assert.Contains("lease expired", a.Error, StringComparison.Ordinal));
        Assert.All(attempts, a => Assert.Equal(stored.AccountId, a.AccountId));
    }

    /// <summary>
    /// Regression (chaos soak, 2026-12-01): a job takes its whole batch at once, so when its worker died every
    /// uncertain row of the batch was counted towards review — also those it had not begun to look up yet. Under
    /// frequent kills, publications the platform could still tell about ended in NeedsReview. Only a row the dead
    /// run had begun to look up or send is counted now.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClaimDue_UncertainRowADeadRunNeverReached_IsNotCountedTowardsReview(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        var id = await SeedAsync(services, due: Now.AddMinutes(-60));
        var queue = services.GetRequiredService<IPublicationQueue>();
        await using (var scope = services.CreateAsyncScope())
        {
            // An earlier send may have taken effect.
            await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Publications
                .Where(p => p.Id == id)
                .ExecuteUpdateAsync(set => set.SetProperty(p => p.UncertainSince, Now.AddMinutes(-61)));
        }

        var at = Now.AddMinutes(-60);
        var token = ClaimTokens.New();
        await queue.ClaimDueAsync(10, at, at.AddMinutes(5), token);
        // Run 1 takes the row with its batch and dies before reaching it.
        Assert.Equal([id], await queue.TakeOwnershipAsync([id], token, "run-1", at.AddMinutes(5)));
        at = at.AddMinutes(10);
        token = ClaimTokens.New();
        Assert.Equal([new ClaimedPublication(id, Recovered: true)], await queue.ClaimDueAsync(10, at, at.AddMinutes(5), token));
        Assert.Equal(0, (await LoadAsync(services, id)).RecoveryCount);

        // Run 2 begins to look it up, and dies while it looks.
        Assert.Equal([id], await queue.TakeOwnershipAsync([id], token, "run-2", at.AddMinutes(5)));
        await using (var scope = services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
            var publication = (await store.GetPublicationAsync(id))!;
            publication.BeginLookup(at.AddSeconds(1));
            await store.SavePublicationAsync(publication);
        }

        at = at.AddMinutes(10);
        token = ClaimTokens.New();
        Assert.Equal([new ClaimedPublication(id, Recovered: true)], await queue.ClaimDueAsync(10, at, at.AddMinutes(5), token));
        var stored = await LoadAsync(services, id);
        Assert.Equal(1, stored.RecoveryCount);
        Assert.Null(stored.WorkStartedAt);
        Assert.NotNull(stored.UncertainSince);

        // Run 3 takes it again and dies before reaching it: still one.
        Assert.Equal([id], await queue.TakeOwnershipAsync([id], token, "run-3", at.AddMinutes(5)));
        at = at.AddMinutes(10);
        Assert.Equal([new ClaimedPublication(id, Recovered: true)], await queue.ClaimDueAsync(10, at, at.AddMinutes(5), ClaimTokens.New()));
        Assert.Equal(1, (await LoadAsync(services, id)).RecoveryCount);
    }

    /// <summary>
    /// Regression (cold review): a run that looked a thread up, had a part confirmed (which clears the uncertainty)
    /// and then died was not counted, because the claim also asked for the uncertainty. Whatever the lookup found,
    /// a run that had begun to work on the row is counted, so a lookup that kills its worker cannot loop.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClaimDue_RunThatDiedAfterItsLookupSettledTheUncertainty_IsCounted(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        var id = await SeedAsync(services, due: Now.AddMinutes(-60));
        var queue = services.GetRequiredService<IPublicationQueue>();
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Publications
                .Where(p => p.Id == id)
                .ExecuteUpdateAsync(set => set.SetProperty(p => p.UncertainSince, Now.AddMinutes(-61)));
        }

        var at = Now.AddMinutes(-60);
        var token = ClaimTokens.New();
        await queue.ClaimDueAsync(10, at, at.AddMinutes(5), token);
        Assert.Equal([id], await queue.TakeOwnershipAsync([id], token, "run-1", at.AddMinutes(5)));
        await using (var scope = services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
            var publication = (await store.GetPublicationAsync(id))!;
            publication.BeginLookup(at.AddSeconds(1));
            await store.SavePublicationAsync(publication);
            publication.ResolveUncertainty();
            await store.SavePublicationAsync(publication);
        }

        at = at.AddMinutes(10);
        Assert.Equal([new ClaimedPublication(id, Recovered: true)], await queue.ClaimDueAsync(10, at, at.AddMinutes(5), ClaimTokens.New()));
        var stored = await LoadAsync(services, id);
        Assert.Null(stored.UncertainSince);
        Assert.Equal(1, stored.RecoveryCount);
        await using var history = services.CreateAsyncScope();
        var lost = Assert.Single(await history.ServiceProvider.GetRequiredService<IPublicationStore>().GetAttemptsAsync(id));
        // It started when its lookup began (the worker's notes leave updated_at at the claim), and ended with its lease.
        Assert.Equal((Now.AddMinutes(-60).AddSeconds(1), Now.AddMinutes(-55)), (lost.StartedAt, lost.EndedAt));
    }

    [Fact]
    public void ClaimStatuses_AreExactlyThoseTheStateMachineLetsMoveToPublishing()
    {
        var allowed = Enum.GetValues<PublicationStatus>()
            .Where(s => PublicationStateMachine.IsAllowed(s, PublicationStatus.Publishing))
            .ToHashSet();

        Assert.Equal(allowed.Order(), QueueSql.Claimable.Order());
        // The fresh claim moves a row to Publishing; only a held lease is taken over in place.
        Assert.Equal(allowed.Except([PublicationStatus.Publishing]).Order(), QueueSql.Due.Order());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClaimDue_OnePublicationInEachStatus_ClaimsOnlyThoseTheStateMachineLetsMoveToPublishing(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        var byStatus = new Dictionary<PublicationId, PublicationStatus>();
        foreach (var status in Enum.GetValues<PublicationStatus>())
        {
            // Every row looks due and its lease expired: only the status can keep it from being claimed.
            var id = await SeedAsync(services, due: Now.AddMinutes(-10));
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Publications
                .Where(p => p.Id == id)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(p => p.Status, status)
                    .SetProperty(p => p.NextAttemptAt, Now.AddMinutes(-5))
                    .SetProperty(p => p.LeaseOwner, $"run-{status}")
                    .SetProperty(p => p.LeaseExpiresAt, Now.AddMinutes(-5)));
            byStatus[id] = status;
        }

        var claimed = await services.GetRequiredService<IPublicationQueue>().ClaimDueAsync(100, Now, Now.AddMinutes(5), ClaimTokens.New());

        var allowed = Enum.GetValues<PublicationStatus>().Where(s => PublicationStateMachine.IsAllowed(s, PublicationStatus.Publishing));
        Assert.Equal(allowed.Order(), claimed.Select(c => byStatus[c.Id]).Order());
        foreach (var (id, status) in byStatus)
        {
            var stored = await LoadAsync(services, id);
            Assert.Equal(allowed.Contains(status) ? PublicationStatus.Publishing : status, stored.Status);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task QueueIndexFilters_BuiltFromTheStatusEnum_MatchTheMigrations(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var services = await BuildAsync(database);
        await using var scope = services.CreateAsyncScope();

        Assert.False(scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Database.HasPendingModelChanges());
    }

    /// <summary>
    /// Regression (M5): leases, due times and rate windows were compared on each worker's own clock, so a machine
    /// whose clock ran ahead took over another's in-flight send. Every worker of a shared database now reads the
    /// database's clock, whatever its own says.
    /// </summary>
    [Fact]
    public async Task DatabaseClock_MachineClockAnHourAhead_ReadsPostgreSqlsTime()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await using var services = await BuildAsync(database);
        Assert.IsType<Herald.Storage.Queue.DatabaseClock>(services.GetRequiredService<TimeProvider>());
        var dataSource = services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var clock = new Herald.Storage.Queue.DatabaseClock(dataSource, new ShiftedClock(TimeSpan.FromHours(1)));

        var offset = await clock.SyncAsync();

        await using var command = dataSource.CreateCommand("SELECT clock_timestamp()");
        var databaseNow = new DateTimeOffset(DateTime.SpecifyKind((DateTime)(await command.ExecuteScalarAsync())!, DateTimeKind.Utc));
        Assert.True((offset + TimeSpan.FromHours(1)).Duration() < TimeSpan.FromSeconds(2), $"offset {offset}");
        Assert.True((clock.GetUtcNow() - databaseNow).Duration() < TimeSpan.FromSeconds(5), $"{clock.GetUtcNow():O} vs {databaseNow:O}");
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }

    private static async Task<ServiceProvider> BuildAsync(TestDatabase database)
    {
        var services = new ServiceCollection();
        services.AddHerald().AddDevTo();
        services.AddHeraldStorage(database.ConnectionString, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var provider = services.BuildServiceProvider();
        await provider.MigrateHeraldDatabaseAsync();
        return provider;
    }

    private static async Task<PublicationId> SeedAsync(IServiceProvider services, DateTimeOffset due)
    {
        await using var scope = services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
        var content = new Content { Title = "Queue", Body = "Body.", CreatedAt = due };
        await store.AddContentAsync(content);
        var account = await store.UpsertAccountAsync(new Account { Platform = "devto", DisplayName = "queue", CreatedAt = due });
        var publication = Publication.Create(content.Id, account.Id, "devto", due, "UTC", 3, due);
        await store.AddPublicationAsync(publication);
        return publication.Id;
    }

    private static async Task<Publication> LoadAsync(IServiceProvider services, PublicationId id)
    {
        await using var scope = services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetPublicationAsync(id))!;
    }
}
