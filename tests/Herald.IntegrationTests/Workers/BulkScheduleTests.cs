using Herald.Accounts;
using Herald.Contents;
using Herald.Publications;
using Herald.Scheduling;
using Herald.Storage;
using Herald.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Herald.IntegrationTests.Workers;

/// <summary>
/// The scheduling path shared by single and bulk calls (<see cref="IPublicationScheduler.ScheduleManyAsync"/>), on
/// real SQLite and PostgreSQL: what it stores, what it refuses, and that it does not rewrite accounts.
/// </summary>
public sealed class BulkScheduleTests
{
    internal static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ScheduleMany_ContentsForSeveralAccounts_StoresEveryPublicationAsReturnedInItemOrder(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), new FakeTimeProvider(Now), start: false);
        var accounts = Enumerable.Range(0, 3).Select(i => Account($"bulk-{i}")).ToArray();
        // 240 publications: validation and rendering run in parallel, and PostgreSQL takes the rows by binary COPY.
        var items = Enumerable.Range(0, 120)
            .Select(i => new ScheduleItem(Articles.New($"Bulk article {i}"), [accounts[i % 3], accounts[(i + 1) % 3]], ScheduleTime.At(Now.AddMinutes(i + 1))))
            .ToList();

        var publications = await ScheduleManyAsync(workers, items);

        Assert.Equal(240, publications.Count);
        for (var i = 0; i < items.Count; i++)
        {
            Assert.Equal(items[i].Content.Id, publications[2 * i].ContentId);
            Assert.Equal(items[i].When.Utc, publications[(2 * i) + 1].ScheduledAt);
        }

        await using (var scope = workers.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
            var stored = await db.Publications.AsNoTracking().ToDictionaryAsync(p => p.Id);
            Assert.Equal(240, stored.Count);
            Assert.All(publications, p =>
            {
                var row = stored[p.Id];
                Assert.Equal(
                    (p.ContentId, p.AccountId, p.Platform, p.Status, p.ScheduledAt, p.NextAttemptAt, p.TimeZone, p.MaxRetries, p.Payload, p.CreatedAt, p.Version),
                    (row.ContentId, row.AccountId, row.Platform, row.Status, row.ScheduledAt, row.NextAttemptAt, row.TimeZone, row.MaxRetries, row.Payload, row.CreatedAt, row.Version));
                Assert.Contains("Bulk article", row.Payload, StringComparison.Ordinal);
            });
            var contents = await db.Contents.AsNoTracking().ToDictionaryAsync(c => c.Id);
            Assert.Equal(120, contents.Count);
            Assert.All(items, item => Assert.Equal(
                (item.Content.Title, item.Content.Body, item.Content.CanonicalUrl, string.Join(",", item.Content.Tags)),
                (contents[item.Content.Id].Title, contents[item.Content.Id].Body, contents[item.Content.Id].CanonicalUrl, string.Join(",", contents[item.Content.Id].Tags))));
            Assert.Equal(3, await db.Accounts.CountAsync());
        }

        // What was stored in bulk is known to the repost guard.
        var again = await Assert.ThrowsAsync<ContentValidationException>(() => workers.ScheduleAsync(Copy(items[7].Content), accounts[1], ScheduleTime.At(Now.AddDays(1))));
        Assert.Contains(publications[2 * 7].Id.ToString(), Assert.Single(again.Problems).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ScheduleMany_InvalidItemsAmongValidOnes_NamesEachItemAndStoresNothing(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), new FakeTimeProvider(Now), start: false);
        var account = Account("bulk-invalid");
        var untitled = new Content { Title = "", Body = "A body without a title.", CanonicalUrl = new Uri("https://blog.example.com/untitled") };
        var items = new List<ScheduleItem>
        {
            new(Articles.New("Fine"), [account], ScheduleTime.At(Now.AddHours(1))),
            new(untitled, [account], ScheduleTime.At(Now.AddHours(1))),
            new(Articles.New("No targets"), [], ScheduleTime.At(Now.AddHours(1))),
        };

        var refused = await Assert.ThrowsAsync<ContentValidationException>(() => ScheduleManyAsync(workers, items));

        Assert.Contains(refused.Problems, p => p.Field.StartsWith("items[1].", StringComparison.Ordinal) && p.Field.Contains("title", StringComparison.Ordinal));
        Assert.Contains(refused.Problems, p => p.Field == "items[2].targets");
        Assert.DoesNotContain(refused.Problems, p => p.Field.StartsWith("items[0].", StringComparison.Ordinal));
        Assert.Equal(0, (await workers.StatusCountsAsync()).Values.Sum());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ScheduleMany_SameContentTwiceForOneAccount_IsRefusedNamingBothItems(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), new FakeTimeProvider(Now), start: false);
        var account = Account("bulk-twice");
        var article = Articles.New("Twice");
        var items = new List<ScheduleItem>
        {
            new(article, [account], ScheduleTime.At(Now.AddHours(1))),
            new(Copy(article), [account], ScheduleTime.At(Now.AddHours(2))),
        };

        var refused = await Assert.ThrowsAsync<ContentValidationException>(() => ScheduleManyAsync(workers, items));

        var problem = Assert.Single(refused.Problems);
        Assert.Equal("items[1].targets[0]", problem.Field);
        Assert.Contains("items[0].targets[0]", problem.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await workers.StatusCountsAsync()).Values.Sum());

        var again = await ScheduleManyAsync(workers, items, new ScheduleOptions { Again = true });
        Assert.Equal(2, again.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ScheduleMany_ContentEarlierOnAnotherAccountOnly_IsNotRefusedWhereItWasNotPosted(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), new FakeTimeProvider(Now), start: false);
        var first = Account("bulk-first");
        var second = Account("bulk-second");
        var article = Articles.New("Earlier on the first account");
        await workers.ScheduleAsync(article, first, ScheduleTime.At(Now.AddHours(1)));
        var other = Articles.New("Another article");

        // The article again for the second account, and another article for the first: neither repeats a post.
        var accepted = await ScheduleManyAsync(workers, [
            new(Copy(article), [second], ScheduleTime.At(Now.AddHours(2))),
            new(other, [first], ScheduleTime.At(Now.AddHours(2))),
        ]);
        Assert.Equal(2, accepted.Count);

        // The article again for the first account is a repost: refused, naming the earlier publication.
        var refused = await Assert.ThrowsAsync<ContentValidationException>(() => ScheduleManyAsync(workers, [
            new(Articles.New("Fresh"), [second], ScheduleTime.At(Now.AddHours(3))),
            new(Copy(article), [first, second], ScheduleTime.At(Now.AddHours(3))),
        ]));
        Assert.Equal(2, refused.Problems.Count);
        Assert.Contains(refused.Problems, p => p.Field == "items[1].targets[0]" && p.Message.Contains("'bulk-first'", StringComparison.Ordinal));
        Assert.Contains(refused.Problems, p => p.Field == "items[1].targets[1]" && p.Message.Contains("'bulk-second'", StringComparison.Ordinal));
        Assert.Equal(3, (await workers.StatusCountsAsync()).Values.Sum());
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)] // one batch without BEGIN/COMMIT: PostgreSQL's implicit transaction
    [InlineData(true, 300)] // binary COPY inside a transaction
    public async Task Schedule_DatabaseRefusesThePublications_StoresNeitherContentsNorNewAccounts(bool postgres, int count)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), new FakeTimeProvider(Now), start: false);
        await using (var scope = workers.Services.CreateAsyncScope())
        {
            // The publications' insert is the last write of the call: a failure there must take the others back.
            await RefusePublicationsAsync(scope.ServiceProvider.GetRequiredService<HeraldDbContext>(), postgres);
        }

        var account = Account("refused");
        var items = Enumerable.Range(0, count).Select(i => new ScheduleItem(Articles.New($"Refused {i}"), [account], ScheduleTime.At(Now.AddHours(1)))).ToList();

        await Assert.ThrowsAnyAsync<Exception>(() => ScheduleManyAsync(workers, items));

        await using (var scope = workers.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
            Assert.Equal(0, await db.Contents.CountAsync());
            Assert.Equal(0, await db.Accounts.CountAsync());
            Assert.Equal(0, await db.Publications.CountAsync());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ScheduleMany_OneContentForManyItems_StoresItOnceWithEveryPublication(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), new FakeTimeProvider(Now), start: false);
        // The same post to 300 accounts, each at its own time: above the size that PostgreSQL takes by binary COPY.
        var article = Articles.New("One content, many times");
        var items = Enumerable.Range(0, 300)
            .Select(i => new ScheduleItem(article, [Account($"shared-{i}")], ScheduleTime.At(Now.AddMinutes(i + 1))))
            .ToList();

        var publications = await ScheduleManyAsync(workers, items);

        Assert.Equal(300, publications.Count);
        await using var scope = workers.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        Assert.Equal(1, await db.Contents.CountAsync());
        Assert.Equal(300, await db.Publications.CountAsync(p => p.ContentId == article.Id));
    }

    [Fact]
    public async Task ScheduleMany_TwoContentsSharingAnId_IsRefusedNamingTheItem()
    {
        await using var database = TestDatabase.Sqlite();
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), new FakeTimeProvider(Now), start: false);
        var first = Articles.New("First");
        var impostor = new Content { Id = first.Id, Title = "Second", Body = "Another body.", CanonicalUrl = new Uri("https://blog.example.com/second") };

        var refused = await Assert.ThrowsAsync<ContentValidationException>(() => ScheduleManyAsync(workers, [
            new(first, [Account("ids-a")], ScheduleTime.At(Now.AddHours(1))),
            new(impostor, [Account("ids-b")], ScheduleTime.At(Now.AddHours(1))),
        ]));

        Assert.Equal("items[1].content", Assert.Single(refused.Problems).Field);
        Assert.Equal(0, (await workers.StatusCountsAsync()).Values.Sum());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Schedule_SameContentForOneAccountFromConcurrentCalls_StoresItOnce(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), new FakeTimeProvider(Now), start: false);
        await workers.ScheduleAsync(Articles.New("Makes the account exist"), Account("concurrent"), ScheduleTime.At(Now.AddHours(1)));

        for (var round = 0; round < 10; round++)
        {
            var article = Articles.New($"Concurrent {round}");
            var calls = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                try
                {
                    await workers.ScheduleAsync(Copy(article), Account("concurrent"), ScheduleTime.At(Now.AddHours(2)));
                    return true;
                }
                catch (ContentValidationException)
                {
                    return false;
                }
            })).ToList();
            var stored = (await Task.WhenAll(calls)).Count(ok => ok);

            Assert.Equal(1, stored);
        }
    }

    [Fact]
    public async Task Schedule_AccountAsConfigured_IsNotRewrittenOnLaterCalls()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), new FakeTimeProvider(Now), start: false);
        await workers.ScheduleAsync(Articles.New("First"), Account("as-configured"), ScheduleTime.At(Now.AddHours(1)));
        var before = await RowVersionAsync(workers);

        // A new Account object with the same configuration, as every CLI run or API call makes.
        await workers.ScheduleAsync(Articles.New("Second"), Account("as-configured"), ScheduleTime.At(Now.AddHours(1)));
        await workers.ScheduleAsync(Articles.New("Third"), Account("as-configured"), ScheduleTime.At(Now.AddHours(1)));

        Assert.Equal(before, await RowVersionAsync(workers));
        Assert.Equal(3, (await workers.StatusCountsAsync()).Values.Sum());

        // New credentials are still taken.
        await workers.ScheduleAsync(Articles.New("Fourth"), Account("as-configured", "rotated-key"), ScheduleTime.At(Now.AddHours(1)));
        Assert.NotEqual(before, await RowVersionAsync(workers));
    }

    /// <summary>
    /// The title search's trigram index takes a bulk call's titles into its pending list (16 MB rather than 4, so that
    /// the call does not merge the list into the index several times while the user waits); a search reads that list
    /// too, so what was just scheduled is found at once, through the index.
    /// </summary>
    [Fact]
    public async Task ScheduleMany_OnPostgres_TitlesAreFoundThroughTheSearchIndexAtOnce()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), new FakeTimeProvider(Now), start: false);
        var account = Account("search");
        var items = Enumerable.Range(0, 300)
            .Select(i => new ScheduleItem(Articles.New($"Searchable article {i} about {(i % 3 == 0 ? "Kubernetes" : "gardening")}"), [account], ScheduleTime.At(Now.AddDays(1))))
            .ToList();

        await ScheduleManyAsync(workers, items);

        await using var scope = workers.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        Assert.Equal(
            "{gin_pending_list_limit=16384}",
            await db.Database.SqlQueryRaw<string>("SELECT reloptions::text AS \"Value\" FROM pg_class WHERE relname = 'ix_contents_title_trigram'").SingleAsync());
        // With sequential scans off the planner takes the index whenever it can serve the search.
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_seqscan = off");
        var connection = db.Database.GetDbConnection();
        await using var explain = connection.CreateCommand();
        explain.Transaction = transaction.GetDbTransaction();
        explain.CommandText = "EXPLAIN SELECT id FROM contents WHERE lower(title) LIKE '%ubernet%'";
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, line => line.Contains("ix_contents_title_trigram", StringComparison.Ordinal));
        Assert.Equal(100, await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM contents WHERE lower(title) LIKE '%ubernet%'").SingleAsync());
    }

    /// <summary>Makes the database refuse every new publication row (a failure inside the database, after the other writes).</summary>
    internal static Task RefusePublicationsAsync(HeraldDbContext db, bool postgres) =>
        db.Database.ExecuteSqlRawAsync(postgres
            ? "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql; " +
              "CREATE TRIGGER refuse BEFORE INSERT ON publications FOR EACH ROW EXECUTE FUNCTION refuse();"
            : "CREATE TRIGGER refuse BEFORE INSERT ON publications BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");

    /// <summary>PostgreSQL's row version (<c>xmin</c>) of the one account row: it changes with every write of the row.</summary>
    private static async Task<string> RowVersionAsync(WorkerHost workers)
    {
        await using var scope = workers.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        return await db.Database.SqlQueryRaw<string>("SELECT xmin::text AS \"Value\" FROM accounts").SingleAsync();
    }

    /// <summary>The same content (title, body, canonical URL) as another content row: what the repost guard compares.</summary>
    internal static Content Copy(Content content) => new()
    {
        Title = content.Title,
        Body = content.Body,
        Tags = content.Tags,
        CanonicalUrl = content.CanonicalUrl,
    };

    internal static Account Account(string name, string key = "bulk-key") => new()
    {
        Platform = "devto",
        DisplayName = name,
        BaseUrl = new Uri("http://127.0.0.1:9/devto/"),
        Credentials = new AccountCredentials { ["api_key"] = key },
    };

    internal static async Task<IReadOnlyList<Publication>> ScheduleManyAsync(WorkerHost workers, IReadOnlyList<ScheduleItem> items, ScheduleOptions? options = null)
    {
        await using var scope = workers.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IPublicationScheduler>().ScheduleManyAsync(items, options);
    }
}
