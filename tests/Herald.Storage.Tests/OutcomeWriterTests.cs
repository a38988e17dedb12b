using System.Data.Common;
using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms;
using Herald.Publications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Herald.Storage.Tests;

/// <summary>
/// The grouped outcome write on its own; it runs once on SQLite and once on PostgreSQL. The PostgreSQL class adds
/// what only a server shows: rows of one group share one transaction, and a dropped connection is written again.
/// </summary>
public abstract class OutcomeWriterTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : StorageDatabase
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    protected TDatabase Database { get; } = database;

    private protected OutcomeWriter Writer => Database.Services.GetRequiredService<OutcomeWriter>();

    [Fact]
    public async Task WriteAsync_UnchangedVersion_StoresTheNewStateAndItsAttemptTogether()
    {
        var id = (await SeedAsync(1))[0];
        var (row, published) = await OutcomeAsync(
            id,
            p => p.MarkPublished("42", new Uri("https://dev.to/herald/outcome-42"), Now.AddSeconds(2)),
            Attempt(id, 1, PublishOutcomeKind.Published, 201));

        Assert.True(await Writer.WriteAsync(row));

        var stored = await StoredAsync(id);
        Assert.Equal(PublicationStatus.Published, stored.Status);
        Assert.Equal("42", stored.ExternalId);
        Assert.Equal(new Uri("https://dev.to/herald/outcome-42"), stored.Url);
        Assert.Equal(Now.AddSeconds(2), stored.PublishedAt);
        Assert.Equal(Now.AddSeconds(2), stored.UpdatedAt);
        Assert.Null(stored.LeaseOwner);
        Assert.Null(stored.LeaseExpiresAt);
        Assert.Equal(published.Version, stored.Version);
        Assert.Equal(row.ExpectedVersion + 1, stored.Version);
        var attempt = Assert.Single(await AttemptsAsync(id));
        Assert.Equal(1, attempt.Number);
        Assert.Equal(stored.AccountId, attempt.AccountId);
        Assert.Equal(PublishOutcomeKind.Published, attempt.Outcome);
        Assert.Equal(201, attempt.HttpStatus);
        Assert.Equal(Now, attempt.StartedAt);
        Assert.Equal(Now.AddSeconds(2), attempt.EndedAt);
        Assert.Null(attempt.Error);
    }

    [Fact]
    public async Task WriteAsync_Retry_StoresEveryChangedColumnAsTheModelConvertsIt()
    {
        var id = (await SeedAsync(1))[0];
        var error = $"503 from Dev.to — “busy” 'again' {Guid.NewGuid():N}";
        var (row, _) = await OutcomeAsync(
            id,
            p =>
            {
                p.ConfirmThreadPart("part-1", Now.AddSeconds(1));
                p.ScheduleRetry(Now.AddMinutes(3), PublishOutcomeKind.Transient, error, Now.AddSeconds(2));
            },
            Attempt(id, 1, PublishOutcomeKind.Transient, 503, error));

        Assert.True(await Writer.WriteAsync(row));

        var stored = await StoredAsync(id);
        Assert.Equal(PublicationStatus.RetryScheduled, stored.Status);
        Assert.Equal(Now.AddMinutes(3), stored.NextAttemptAt);
        Assert.Equal(PublishOutcomeKind.Transient, stored.LastErrorKind);
        Assert.Equal(error, stored.LastError);
        Assert.Equal(1, stored.RetryCount);
        Assert.Equal(["part-1"], stored.ThreadPartIds);
        Assert.Equal(error, Assert.Single(await AttemptsAsync(id)).Error);
        // Enums are stored by name, as SaveChanges stores them.
        Assert.Equal("Transient", await RawScalarAsync($"SELECT outcome AS \"Value\" FROM attempts WHERE error = '{error.Replace("'", "''", StringComparison.Ordinal)}'"));
        Assert.Equal("RetryScheduled", await RawScalarAsync($"SELECT status AS \"Value\" FROM publications WHERE last_error = '{error.Replace("'", "''", StringComparison.Ordinal)}'"));
    }

    [Fact]
    public async Task WriteAsync_StaleVersion_ReturnsFalseAndWritesNeitherTheStateNorTheAttempt()
    {
        var id = (await SeedAsync(1))[0];
        var (row, _) = await OutcomeAsync(id, p => p.MarkPublished("7", null, Now), Attempt(id, 1, PublishOutcomeKind.Published, 201));
        var renewed = await ChangeAsync(id, p => p.RenewLease("worker", Now.AddMinutes(10), Now.AddSeconds(1)));

        Assert.False(await Writer.WriteAsync(row));

        var stored = await StoredAsync(id);
        Assert.Equal(PublicationStatus.Publishing, stored.Status);
        Assert.Null(stored.ExternalId);
        Assert.Equal(Now.AddMinutes(10), stored.LeaseExpiresAt);
        Assert.Equal(renewed, stored.Version);
        Assert.Empty(await AttemptsAsync(id));
    }

    [Fact]
    public async Task WriteAsync_ManyAtOnceSomeStale_EachCallerLearnsItsOwnRowsFate()
    {
        var ids = await SeedAsync(24);
        var rows = new List<OutcomeRow>();
        foreach (var id in ids)
        {
            rows.Add((await OutcomeAsync(id, p => p.MarkPublished(id.ToString(), null, Now), Attempt(id, 1, PublishOutcomeKind.Published, 201))).Row);
        }

        var stale = ids.Where((_, i) => i % 4 == 0).ToHashSet();
        foreach (var id in stale)
        {
            await ChangeAsync(id, p => p.RenewLease("worker", Now.AddMinutes(10), Now));
        }

        var written = await Task.WhenAll(rows.Select(Writer.WriteAsync));

        Assert.Equal(ids.Select(id => !stale.Contains(id)), written);
        foreach (var id in ids)
        {
            var stored = await StoredAsync(id);
            var attempts = await AttemptsAsync(id);
            if (stale.Contains(id))
            {
                Assert.Equal(PublicationStatus.Publishing, stored.Status);
                Assert.Empty(attempts);
            }
            else
            {
                Assert.Equal(PublicationStatus.Published, stored.Status);
                Assert.Equal(id.ToString(), stored.ExternalId);
                Assert.Single(attempts);
            }
        }
    }

    [Fact]
    public async Task WriteAsync_MarksAndOutcomesTogether_EachRowWrittenAndOnlyOutcomesGetAnAttemptRow()
    {
        var ids = await SeedAsync(12);
        var rows = new List<OutcomeRow>();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            rows.Add(i % 2 == 0
                ? (await OutcomeAsync(id, p => p.BeginSend(Now.AddSeconds(1)), attempt: null)).Row
                : (await OutcomeAsync(id, p => p.MarkPublished(id.ToString(), null, Now), Attempt(id, 1, PublishOutcomeKind.Published, 201))).Row);
        }

        var stale = ids[4];
        await ChangeAsync(stale, p => p.RenewLease("worker", Now.AddMinutes(10), Now));

        var written = await Task.WhenAll(rows.Select(Writer.WriteAsync));

        Assert.Equal(ids.Select(id => id != stale), written);
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var stored = await StoredAsync(id);
            if (id == stale)
            {
                Assert.Null(stored.WorkStartedAt);
                Assert.Empty(await AttemptsAsync(id));
            }
            else if (i % 2 == 0)
            {
                Assert.Equal(PublicationStatus.Publishing, stored.Status);
                Assert.Equal(Now.AddSeconds(1), stored.WorkStartedAt);
                Assert.Empty(await AttemptsAsync(id));
            }
            else
            {
                Assert.Equal(PublicationStatus.Published, stored.Status);
                Assert.Single(await AttemptsAsync(id));
            }
        }
    }

    [Fact]
    public async Task WriteAsync_TwoWritesOfOneRowFromTheSameVersion_OnlyOneIsWritten()
    {
        // Both arrive while the writer is busy, so they would share a group: the second must still be refused.
        var ids = await SeedAsync(3);
        var busy = new List<OutcomeRow>();
        foreach (var id in ids.Skip(1))
        {
            busy.Add((await OutcomeAsync(id, p => p.BeginSend(Now), attempt: null)).Row);
        }

        var first = (await OutcomeAsync(ids[0], p => p.MarkPublished("first", null, Now), Attempt(ids[0], 1, PublishOutcomeKind.Published, 201))).Row;
        var second = (await OutcomeAsync(ids[0], p => p.RenewLease("worker", Now.AddMinutes(10), Now), attempt: null)).Row;

        var written = await Task.WhenAll(busy.Select(Writer.WriteAsync).Append(Writer.WriteAsync(first)).Append(Writer.WriteAsync(second)));

        Assert.Equal([true, true, true, false], written);
        var stored = await StoredAsync(ids[0]);
        Assert.Equal(PublicationStatus.Published, stored.Status);
        Assert.Equal(first.ExpectedVersion + 1, stored.Version);
        Assert.Single(await AttemptsAsync(ids[0]));
    }

    [Fact]
    public async Task SavePublicationAsync_AnotherWriterChangedItFirst_RefusesAndWritesNothing()
    {
        var id = (await SeedAsync(1))[0];
        await using var scope = Database.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
        var publication = (await store.GetPublicationAsync(id))!;
        var renewed = await ChangeAsync(id, p => p.RenewLease("worker", Now.AddMinutes(10), Now));
        publication.BeginSend(Now.AddSeconds(1));

        await Assert.ThrowsAsync<PublicationConflictException>(() => store.SavePublicationAsync(publication));

        var stored = await StoredAsync(id);
        Assert.Null(stored.WorkStartedAt);
        Assert.Equal(renewed, stored.Version);
    }

    [Fact]
    public async Task SavePublicationAsync_TheMark_IsStoredAndASecondSaveStartsFromIt()
    {
        var id = (await SeedAsync(1))[0];
        await using var scope = Database.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
        var publication = (await store.GetPublicationAsync(id))!;
        publication.BeginSend(Now.AddSeconds(1));
        await store.SavePublicationAsync(publication);
        publication.MarkPublished("9", null, Now.AddSeconds(2));
        await store.SaveOutcomeAsync(publication, Attempt(id, 1, PublishOutcomeKind.Published, 201));

        var stored = await StoredAsync(id);
        Assert.Equal(PublicationStatus.Published, stored.Status);
        Assert.Equal(publication.Version, stored.Version);
        Assert.Single(await AttemptsAsync(id));
    }

    [Fact]
    public async Task WriteAsync_RowTheDatabaseRefuses_FailsOnlyThatCallerAndWritesTheOthers()
    {
        // The refused row's attempt number is taken already (the unique index on publication and number): the group
        // it lands in fails, and the fallback writes its rows one by one.
        var ids = await SeedAsync(3);
        var (refused, good) = (ids[0], ids[1..]);
        await using (var scope = Database.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IPublicationStore>().AddAttemptAsync(Attempt(refused, 1, PublishOutcomeKind.Transient, 503));
        }

        var refusedRow = (await OutcomeAsync(refused, p => p.MarkPublished("x", null, Now), Attempt(refused, 1, PublishOutcomeKind.Published, 201))).Row;
        var goodRows = new List<OutcomeRow>();
        foreach (var id in good)
        {
            goodRows.Add((await OutcomeAsync(id, p => p.MarkPublished("ok", null, Now), Attempt(id, 1, PublishOutcomeKind.Published, 201))).Row);
        }

        var refusedWrite = Writer.WriteAsync(refusedRow);
        var goodWrites = goodRows.Select(Writer.WriteAsync).ToList();

        await Assert.ThrowsAnyAsync<DbException>(() => refusedWrite);
        var goodResults = await Task.WhenAll(goodWrites);
        Assert.Equal([true, true], goodResults);
        await AssertUntouchedAsync(refused, refusedRow.ExpectedVersion, attempts: 1);
        foreach (var id in good)
        {
            Assert.Equal(PublicationStatus.Published, (await StoredAsync(id)).Status);
            Assert.Single(await AttemptsAsync(id));
        }
    }

    [Fact]
    public async Task WriteAsync_AfterARefusedRow_GoesOnWritingLaterOutcomes()
    {
        var ids = await SeedAsync(2);
        await using (var scope = Database.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IPublicationStore>().AddAttemptAsync(Attempt(ids[0], 1, PublishOutcomeKind.Transient, 503));
        }

        var refusedRow = (await OutcomeAsync(ids[0], p => p.MarkFailed(PublishOutcomeKind.Permanent, "no", Now), Attempt(ids[0], 1, PublishOutcomeKind.Permanent, 422))).Row;
        await Assert.ThrowsAnyAsync<DbException>(() => Writer.WriteAsync(refusedRow));

        var laterRow = (await OutcomeAsync(ids[1], p => p.MarkFailed(PublishOutcomeKind.Permanent, "no", Now), Attempt(ids[1], 1, PublishOutcomeKind.Permanent, 422))).Row;

        Assert.True(await Writer.WriteAsync(laterRow));
        Assert.Equal(PublicationStatus.Failed, (await StoredAsync(ids[1])).Status);
    }

    /// <summary>Creates <paramref name="count"/> publications, each taken by a worker (Publishing, version 1).</summary>
    protected async Task<List<PublicationId>> SeedAsync(int count)
    {
        await using var scope = Database.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
        var content = new Content { Title = "outcome", Body = "Body", CreatedAt = Now };
        await store.AddContentAsync(content);
        var account = await store.UpsertAccountAsync(new Account
        {
            Platform = "devto",
            DisplayName = $"outcome-{Guid.NewGuid():N}",
            Credentials = new AccountCredentials { ["api_key"] = "secret-api-key-value" },
            CreatedAt = Now,
        });
        var ids = new List<PublicationId>();
        for (var i = 0; i < count; i++)
        {
            var publication = Publication.Create(content.Id, account.Id, "devto", Now, "UTC", 3, Now);
            publication.BeginAttempt("worker", Now.AddMinutes(5), Now);
            await store.AddPublicationAsync(publication);
            ids.Add(publication.Id);
            _accounts[publication.Id] = account.Id;
        }

        return ids;
    }

    /// <summary>Loads the publication as a worker does, applies the attempt's end and turns it into the writer's row.</summary>
    private protected async Task<(OutcomeRow Row, Publication Publication)> OutcomeAsync(PublicationId id, Action<Publication> end, Attempt? attempt)
    {
        await using var scope = Database.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        var publication = await db.Publications.SingleAsync(p => p.Id == id);
        end(publication);
        db.ChangeTracker.DetectChanges();
        return (OutcomeRows.From(db, db.Entry(publication), attempt), publication);
    }

    /// <summary>Another writer changes the publication (and so its version); returns the new version.</summary>
    protected async Task<int> ChangeAsync(PublicationId id, Action<Publication> change)
    {
        await using var scope = Database.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
        var publication = (await store.GetPublicationAsync(id))!;
        change(publication);
        await store.SavePublicationAsync(publication);
        return publication.Version;
    }

    /// <summary>The account of each seeded publication, for its attempts.</summary>
    private readonly Dictionary<PublicationId, AccountId> _accounts = [];

    protected Attempt Attempt(PublicationId id, int number, PublishOutcomeKind outcome, int? httpStatus, string? error = null) => new()
    {
        PublicationId = id,
        AccountId = _accounts[id],
        Number = number,
        StartedAt = Now,
        EndedAt = Now.AddSeconds(2),
        Outcome = outcome,
        HttpStatus = httpStatus,
        Error = error,
    };

    protected async Task<Publication> StoredAsync(PublicationId id)
    {
        await using var scope = Database.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Publications.AsNoTracking().SingleAsync(p => p.Id == id);
    }

    protected async Task<List<Attempt>> AttemptsAsync(PublicationId id)
    {
        await using var scope = Database.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Attempts.AsNoTracking()
            .Where(a => a.PublicationId == id).OrderBy(a => a.Number).ToListAsync();
    }

    /// <summary>The publication is as the worker loaded it (still Publishing, same version) with only its earlier attempts.</summary>
    protected async Task AssertUntouchedAsync(PublicationId id, int version, int attempts)
    {
        var stored = await StoredAsync(id);
        Assert.Equal(PublicationStatus.Publishing, stored.Status);
        Assert.Equal(version, stored.Version);
        Assert.Equal(attempts, (await AttemptsAsync(id)).Count);
    }

    /// <summary>A value as the database holds it, read without the model's conversions.</summary>
    private async Task<string> RawScalarAsync(string sql)
    {
        await using var scope = Database.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Database.SqlQueryRaw<string>(sql).SingleAsync();
    }
}

public sealed class SqliteOutcomeWriterTests(SqliteDatabase database) : OutcomeWriterTests<SqliteDatabase>(database);

public sealed class PostgresOutcomeWriterTests(PostgresDatabase database) : OutcomeWriterTests<PostgresDatabase>(database)
{
    [Fact]
    public async Task WriteAsync_WhileAGroupIsInFlight_LaterWritesShareOneStatementAndOneCommit()
    {
        var ids = await SeedAsync(13);
        var (first, later) = (ids[0], ids[1..]);

        var (firstWrite, laterWrites) = await WriteBehindAWaitingGroupAsync(first, await RowsAsync(later));

        Assert.True(await firstWrite);
        Assert.All(await Task.WhenAll(laterWrites), Assert.True);
        // Rows written by one statement carry its transaction's id (xmin): the publications and the attempts alike.
        var laterTransactions = await TransactionsAsync(later);
        Assert.Single(laterTransactions);
        Assert.DoesNotContain(Assert.Single(await TransactionsAsync([first])), laterTransactions);
        foreach (var id in later)
        {
            Assert.Equal(PublicationStatus.Published, (await StoredAsync(id)).Status);
        }
    }

    [Fact]
    public async Task WriteAsync_MoreWaitingRowsThanAGroupHolds_AreWrittenInGroupsOfAtMostTwoHundred()
    {
        var ids = await SeedAsync(251);
        var (first, later) = (ids[0], ids[1..]);

        var (_, laterWrites) = await WriteBehindAWaitingGroupAsync(first, await RowsAsync(later));

        Assert.All(await Task.WhenAll(laterWrites), Assert.True);
        var groups = await GroupSizesAsync(later);
        Assert.Equal([50, 200], groups.Order());
    }

    [Fact]
    public async Task WriteAsync_MarksQueuedBehindAGroupOfOutcomes_GoInTheNextGroupFirst()
    {
        var ids = await SeedAsync(261);
        var (first, outcomes, marked) = (ids[0], ids[1..251], ids[251..]);
        var markRows = new List<OutcomeRow>();
        foreach (var id in marked)
        {
            markRows.Add((await OutcomeAsync(id, p => p.BeginSend(Now.AddSeconds(1)), attempt: null)).Row);
        }

        // 250 outcomes wait, then 10 marks: in arrival order the marks would share the second group with the last 50.
        var (_, writes) = await WriteBehindAWaitingGroupAsync(first, [.. await RowsAsync(outcomes), .. markRows]);

        Assert.All(await Task.WhenAll(writes), Assert.True);
        var markGroup = Assert.Single(await TransactionsAsync(marked, attemptsPerRow: 0));
        var outcomeGroups = await GroupsAsync(outcomes);
        Assert.Equal(190, outcomeGroups[markGroup]);
        Assert.Equal(60, outcomeGroups.Single(g => g.Key != markGroup).Value);
    }

    [Fact]
    public async Task WriteAsync_GroupWithARowTheDatabaseRefuses_FallsBackToWritingEachRowAlone()
    {
        var ids = await SeedAsync(4);
        var (first, refused, good) = (ids[0], ids[1], ids[2..]);
        await using (var scope = Database.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IPublicationStore>().AddAttemptAsync(Attempt(refused, 1, PublishOutcomeKind.Transient, 503));
        }

        var refusedRow = (await OutcomeAsync(refused, p => p.MarkPublished("x", null, Now), Attempt(refused, 1, PublishOutcomeKind.Published, 201))).Row;

        var (_, writes) = await WriteBehindAWaitingGroupAsync(first, [refusedRow, .. await RowsAsync(good)]);

        var refusal = await Assert.ThrowsAsync<PostgresException>(() => writes[0]);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, refusal.SqlState);
        var goodResults = await Task.WhenAll(writes[1..]);
        Assert.Equal([true, true], goodResults);
        await AssertUntouchedAsync(refused, refusedRow.ExpectedVersion, attempts: 1);
        // Written alone: one transaction each, not the group's.
        Assert.Equal(2, (await TransactionsAsync(good)).Count);
    }

    /// <summary>
    /// drops = 1: the group's connection is lost and the fallback writes the row again; drops = 2: the fallback's
    /// own first try is lost too, a transient failure it retries after a backoff.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task WriteAsync_ConnectionDroppedMidWrite_IsWrittenAgainOnAFreshConnection(int drops)
    {
        var id = (await SeedAsync(1))[0];
        var row = (await RowsAsync([id]))[0];

        Task<bool> write;
        await using (var gate = await RowLock.TakeAsync(Database.ConnectionString, id))
        {
            write = Writer.WriteAsync(row);
            var writer = await gate.WaitForBlockedWriterAsync();
            for (var i = 0; i < drops; i++)
            {
                await gate.TerminateAsync(writer);
                // The row is written again on a new connection, which waits on the same lock.
                writer = await gate.WaitForBlockedWriterAsync(except: writer);
            }
        }

        Assert.True(await write);
        Assert.Equal(PublicationStatus.Published, (await StoredAsync(id)).Status);
        Assert.Single(await AttemptsAsync(id));
    }

    /// <summary>
    /// Writes <paramref name="first"/>'s outcome and, while its group waits on a row lock, queues
    /// <paramref name="later"/> behind it; then lets the group go. The later rows are all waiting when the writer
    /// takes its next group.
    /// </summary>
    private async Task<(Task<bool> First, List<Task<bool>> Later)> WriteBehindAWaitingGroupAsync(PublicationId first, List<OutcomeRow> later)
    {
        var firstRow = (await RowsAsync([first]))[0];
        await using var gate = await RowLock.TakeAsync(Database.ConnectionString, first);
        var firstWrite = Writer.WriteAsync(firstRow);
        await gate.WaitForBlockedWriterAsync();
        return (firstWrite, later.Select(Writer.WriteAsync).ToList());
    }

    private async Task<List<OutcomeRow>> RowsAsync(IEnumerable<PublicationId> ids)
    {
        var rows = new List<OutcomeRow>();
        foreach (var id in ids)
        {
            rows.Add((await OutcomeAsync(id, p => p.MarkPublished(id.ToString(), null, Now), Attempt(id, 1, PublishOutcomeKind.Published, 201))).Row);
        }

        return rows;
    }

    /// <summary>The ids of the transactions that last wrote these publications and their attempts.</summary>
    private async Task<List<string>> TransactionsAsync(IEnumerable<PublicationId> ids, int attemptsPerRow = 1) =>
        (await GroupsAsync(ids, attemptsPerRow)).Keys.ToList();

    private async Task<List<int>> GroupSizesAsync(IEnumerable<PublicationId> ids) =>
        (await GroupsAsync(ids)).Values.ToList();

    /// <summary>Publications a transaction wrote, by transaction id; an outcome writes an attempt too, a mark does not.</summary>
    private async Task<Dictionary<string, int>> GroupsAsync(IEnumerable<PublicationId> ids, int attemptsPerRow = 1)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT x, count(*)::int FROM (
                SELECT xmin::text AS x FROM publications WHERE id = ANY(@ids)
                UNION ALL
                SELECT xmin::text FROM attempts WHERE publication_id = ANY(@ids)) AS written
            GROUP BY x
            """,
            connection);
        command.Parameters.AddWithValue("ids", ids.Select(i => i.Value).ToArray());
        var groups = new Dictionary<string, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            groups[reader.GetString(0)] = reader.GetInt32(1) / (1 + attemptsPerRow);
        }

        return groups;
    }

    /// <summary>
    /// Holds a publication's row lock in a transaction of its own, so the writer's group that updates the row waits
    /// until the lock is released (disposed): the test can see the group in flight and queue writes behind it.
    /// </summary>
    private sealed class RowLock : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlTransaction _transaction;
        private readonly string _connectionString;

        private RowLock(NpgsqlConnection connection, NpgsqlTransaction transaction, string connectionString)
        {
            _connection = connection;
            _transaction = transaction;
            _connectionString = connectionString;
        }

        public static async Task<RowLock> TakeAsync(string connectionString, PublicationId id)
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var transaction = await connection.BeginTransactionAsync();
            await using var command = new NpgsqlCommand("SELECT 1 FROM publications WHERE id = @id FOR UPDATE", connection, transaction);
            command.Parameters.AddWithValue("id", id.Value);
            await command.ExecuteNonQueryAsync();
            return new RowLock(connection, transaction, connectionString);
        }

        /// <summary>Waits until a session of this database waits for a lock; returns its process id.</summary>
        public async Task<int> WaitForBlockedWriterAsync(int except = 0)
        {
            // A separate connection: pg_stat_activity is read once per transaction, and this one must see it change.
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
            while (true)
            {
                await using var command = new NpgsqlCommand(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> @except LIMIT 1",
                    connection);
                command.Parameters.AddWithValue("except", except);
                if (await command.ExecuteScalarAsync() is int pid)
                {
                    return pid;
                }

                Assert.True(TimeProvider.System.GetUtcNow() < deadline, "No writer ever waited for the row lock.");
                await Task.Delay(TimeSpan.FromMilliseconds(20));
            }
        }

        /// <summary>Ends a session as a server restart does (the client sees its connection dropped).</summary>
        public async Task TerminateAsync(int pid)
        {
            await using var command = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", _connection, _transaction);
            command.Parameters.AddWithValue("pid", pid);
            Assert.True((bool)(await command.ExecuteScalarAsync())!);
        }

        public async ValueTask DisposeAsync()
        {
            await _transaction.RollbackAsync();
            await _transaction.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}
