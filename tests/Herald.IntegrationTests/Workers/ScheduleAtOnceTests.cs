using Herald.Publications;
using Herald.Scheduling;
using Herald.Storage;
using Herald.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Herald.IntegrationTests.Workers.BulkScheduleTests;

namespace Herald.IntegrationTests.Workers;

/// <summary>
/// The one-round-trip schedule on PostgreSQL (a new content on accounts this process already stored as given): it
/// stores what the general path stores, keeps the repost guard, and steps aside whenever it cannot decide alone.
/// </summary>
public sealed class ScheduleAtOnceTests
{
    [Fact]
    public async Task Schedule_KnownAccount_StoresEveryColumnAsReturned()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), new FakeTimeProvider(Now), start: false);
        var general = await workers.ScheduleAsync(Articles.New("Through the general path"), Account("at-once"), ScheduleTime.At(Now.AddHours(1)));
        Assert.NotNull(Known(workers).Find([Account("at-once")]));

        var article = Articles.New("In one round trip");
        var atOnce = await workers.ScheduleAsync(article, Account("at-once"), ScheduleTime.At(Now.AddHours(2)));

        await using var scope = workers.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        var rows = await db.Publications.AsNoTracking().ToDictionaryAsync(p => p.Id);
        Assert.Equal(2, rows.Count);
        foreach (var publication in general.Concat(atOnce))
        {
            var row = rows[publication.Id];
            Assert.Equal(
                (publication.ContentId, publication.AccountId, publication.Platform, publication.Status, publication.ScheduledAt, publication.NextAttemptAt,
                 publication.TimeZone, publication.MaxRetries, publication.Payload, publication.CreatedAt, publication.UpdatedAt, publication.Version, publication.IdempotencyKey),
                (row.ContentId, row.AccountId, row.Platform, row.Status, row.ScheduledAt, row.NextAttemptAt,
                 row.TimeZone, row.MaxRetries, row.Payload, row.CreatedAt, row.UpdatedAt, row.Version, row.IdempotencyKey));
        }

        Assert.Equal(general[0].AccountId, atOnce[0].AccountId);
        var content = await db.Contents.AsNoTracking().SingleAsync(c => c.Id == article.Id);
        Assert.Equal(
            (article.Title, article.Body, article.CanonicalUrl, string.Join(",", article.Tags), article.Type),
            (content.Title, content.Body, content.CanonicalUrl, string.Join(",", content.Tags), content.Type));
        Assert.Equal(
            ContentFingerprint.Of(article),
            await db.Contents.Where(c => c.Id == article.Id).Select(c => EF.Property<string>(c, PublicationStore.FingerprintProperty)).SingleAsync());
    }

    [Fact]
    public async Task Schedule_RepostOnAKnownAccount_IsRefusedNamingTheEarlierPublicationAndStoresNothing()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), new FakeTimeProvider(Now), start: false);
        await workers.ScheduleAsync(Articles.New("Makes the account known"), Account("guarded"), ScheduleTime.At(Now.AddHours(1)));
        var article = Articles.New("Posted once");
        var first = await workers.ScheduleAsync(article, Account("guarded"), ScheduleTime.At(Now.AddHours(1)));

        var refused = await Assert.ThrowsAsync<ContentValidationException>(() => workers.ScheduleAsync(Copy(article), Account("guarded"), ScheduleTime.At(Now.AddHours(2))));

        Assert.Contains(first[0].Id.ToString(), Assert.Single(refused.Problems).Message, StringComparison.Ordinal);
        Assert.Equal(2, (await workers.StatusCountsAsync()).Values.Sum());

        // "Again" skips the guard, on the same path.
        await using var scope = workers.Services.CreateAsyncScope();
        var again = await scope.ServiceProvider.GetRequiredService<IPublicationScheduler>()
            .ScheduleAsync(Copy(article), [Account("guarded")], ScheduleTime.At(Now.AddHours(2)), new ScheduleOptions { Again = true });
        Assert.Single(again);
        Assert.Equal(3, (await workers.StatusCountsAsync()).Values.Sum());
    }

    [Fact]
    public async Task Schedule_KnownAccountRemovedByAnotherProcess_IsStoredAgainByTheGeneralPath()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), new FakeTimeProvider(Now), start: false);
        var first = await workers.ScheduleAsync(Articles.New("Before the removal"), Account("removed"), ScheduleTime.At(Now.AddHours(1)));
        await using (var scope = workers.Services.CreateAsyncScope())
        {
            // As another process would: straight in the database, unseen by this one.
            var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
            await db.Database.ExecuteSqlRawAsync("DELETE FROM publications; DELETE FROM contents; DELETE FROM accounts;");
        }

        var second = await workers.ScheduleAsync(Articles.New("After the removal"), Account("removed"), ScheduleTime.At(Now.AddHours(1)));

        Assert.NotEqual(first[0].AccountId, second[0].AccountId);
        await using var check = workers.Services.CreateAsyncScope();
        var stored = check.ServiceProvider.GetRequiredService<HeraldDbContext>();
        Assert.Equal(second[0].AccountId, (await stored.Accounts.AsNoTracking().SingleAsync()).Id);
        Assert.Equal(second[0].Id, (await stored.Publications.AsNoTracking().SingleAsync()).Id);
    }

    [Theory]
    [InlineData("UPDATE accounts SET settings = '{{\"herald_deleted\":\"true\"}}'")]
    [InlineData("UPDATE accounts SET display_name = 'renamed elsewhere'")]
    public async Task Schedule_KnownAccountRemovedSoftlyOrRenamedByAnotherProcess_GoesTheGeneralWay(string change)
    {
        await using var database = await TestDatabase.PostgresAsync();
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), new FakeTimeProvider(Now), start: false);
        var first = await workers.ScheduleAsync(Articles.New("Before the change"), Account("changed-elsewhere"), ScheduleTime.At(Now.AddHours(1)));
        await using (var scope = workers.Services.CreateAsyncScope())
        {
            // As another process would (a removal keeps the row of an account with history; a rename changes its name).
            await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Database.ExecuteSqlRawAsync(change);
        }

        var second = await workers.ScheduleAsync(Articles.New("After the change"), Account("changed-elsewhere"), ScheduleTime.At(Now.AddHours(1)));

        // The general path stored the account as given again: named so, with its settings and working credentials.
        await using var check = workers.Services.CreateAsyncScope();
        var store = check.ServiceProvider.GetRequiredService<IPublicationStore>();
        var account = await store.GetAccountAsync(second[0].AccountId);
        Assert.Equal("changed-elsewhere", account!.DisplayName);
        Assert.Null(account.Setting("herald_deleted"));
        Assert.Equal("bulk-key", account.Credentials["api_key"]);
        Assert.Equal(2, (await workers.StatusCountsAsync()).Values.Sum());
        Assert.NotNull(first);
    }

    [Fact]
    public async Task Schedule_KnownAccountWithOtherSettingsOrCredentials_GoesTheGeneralWayAndStoresThem()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), new FakeTimeProvider(Now), start: false);
        await workers.ScheduleAsync(Articles.New("First"), Account("changing"), ScheduleTime.At(Now.AddHours(1)));
        var changed = Account("changing", "rotated-key");
        Assert.Null(Known(workers).Find([changed]));
        var withSettings = new Herald.Accounts.Account
        {
            Platform = "devto",
            DisplayName = "changing",
            BaseUrl = changed.BaseUrl,
            Credentials = changed.Credentials,
            Settings = new Dictionary<string, string> { ["published"] = "false" },
        };

        await workers.ScheduleAsync(Articles.New("Second"), changed, ScheduleTime.At(Now.AddHours(1)));
        await workers.ScheduleAsync(Articles.New("Third"), withSettings, ScheduleTime.At(Now.AddHours(1)));

        await using var scope = workers.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
        var account = await store.GetAccountAsync((await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Accounts.AsNoTracking().SingleAsync()).Id);
        Assert.Equal("rotated-key", account!.Credentials["api_key"]);
        Assert.Equal("false", account.Setting("published"));
        Assert.NotNull(Known(workers).Find([withSettings]));
    }

    [Fact]
    public async Task Schedule_SameContentAtOnceAndThroughTheGeneralPathConcurrently_StoresItOnce()
    {
        await using var database = await TestDatabase.PostgresAsync();
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), new FakeTimeProvider(Now), start: false);
        await workers.ScheduleAsync(Articles.New("Makes the account known"), Account("both-paths"), ScheduleTime.At(Now.AddHours(1)));

        for (var round = 0; round < 10; round++)
        {
            var article = Articles.New($"Both paths {round}");
            // A single call (one round trip) and a bulk call (the general path, which takes the account's lock alone).
            var calls = new[]
            {
                Task.Run(() => Stored(() => workers.ScheduleAsync(Copy(article), Account("both-paths"), ScheduleTime.At(Now.AddHours(2))))),
                Task.Run(() => Stored(() => ScheduleManyAsync(workers, [new(Copy(article), [Account("both-paths")], ScheduleTime.At(Now.AddHours(2)))]))),
                Task.Run(() => Stored(() => workers.ScheduleAsync(Copy(article), Account("both-paths"), ScheduleTime.At(Now.AddHours(2))))),
            };

            Assert.Equal(1, (await Task.WhenAll(calls)).Count(ok => ok));
        }
    }

    private static async Task<bool> Stored(Func<Task<IReadOnlyList<Publication>>> schedule)
    {
        try
        {
            await schedule();
            return true;
        }
        catch (ContentValidationException)
        {
            return false;
        }
    }

    private static KnownAccounts Known(WorkerHost workers) => workers.Services.GetRequiredService<KnownAccounts>();
}
