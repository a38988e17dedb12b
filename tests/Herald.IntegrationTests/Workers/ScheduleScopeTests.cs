using Herald.Scheduling;
using Herald.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Herald.IntegrationTests.Workers.BulkScheduleTests;

namespace Herald.IntegrationTests.Workers;

/// <summary>
/// What a schedule call leaves in its scope, on real SQLite and PostgreSQL, by the tracked path and by binary COPY:
/// the publications it returns are not tracked (unless claimed for an inline send), and a failed call leaves
/// nothing behind that a second call in the same scope would trip over.
/// </summary>
public sealed class ScheduleScopeTests
{
    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 300)]
    [InlineData(true, 1)] // tracked inserts
    [InlineData(true, 300)] // binary COPY
    public async Task ScheduleMany_FailsInTheDatabase_SecondCallInTheSameScopeStoresTheAccount(bool postgres, int count)
    {
        await using var host = await SchedulingHost.StartAsync(postgres);
        var workers = host.Workers;
        var account = Account("retried");
        var items = Enumerable.Range(0, count).Select(i => new ScheduleItem(Articles.New($"Retried {i}"), [account], ScheduleTime.At(Now.AddHours(1)))).ToList();

        await using (var scope = workers.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
            var scheduler = scope.ServiceProvider.GetRequiredService<IPublicationScheduler>();
            await RefusePublicationsAsync(db, postgres);

            await Assert.ThrowsAnyAsync<Exception>(() => scheduler.ScheduleManyAsync(items));
            Assert.Empty(db.ChangeTracker.Entries());

            await db.Database.ExecuteSqlRawAsync(postgres ? "DROP TRIGGER refuse ON publications" : "DROP TRIGGER refuse");
            var stored = await scheduler.ScheduleManyAsync(items);
            Assert.Equal(count, stored.Count);
        }

        await using (var scope = workers.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
            Assert.Equal("retried", (await db.Accounts.SingleAsync()).DisplayName);
            Assert.Equal(count, await db.Contents.CountAsync());
            Assert.Equal(count, await db.Publications.CountAsync());
        }
    }

    [Fact]
    public async Task Schedule_RefusedAsARepost_SecondCallInTheSameScopeDoesNotWriteTheRefusedCallsAccounts()
    {
        await using var host = await SchedulingHost.StartAsync(postgres: false);
        var workers = host.Workers;
        var article = Articles.New("Posted once");
        await workers.ScheduleAsync(article, Account("posted"), ScheduleTime.At(Now.AddHours(1)));

        await using var scope = workers.Services.CreateAsyncScope();
        var scheduler = scope.ServiceProvider.GetRequiredService<IPublicationScheduler>();
        await Assert.ThrowsAsync<Herald.Validation.ContentValidationException>(() =>
            scheduler.ScheduleAsync(Copy(article), [Account("staged-only"), Account("posted")], ScheduleTime.At(Now.AddHours(2))));
        await scheduler.ScheduleAsync(Articles.New("Another"), [Account("posted")], ScheduleTime.At(Now.AddHours(2)));

        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        Assert.Equal(["posted"], await db.Accounts.AsNoTracking().Select(a => a.DisplayName).ToListAsync());
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 300)]
    [InlineData(true, 1)] // tracked inserts
    [InlineData(true, 300)] // binary COPY
    public async Task ScheduleMany_WithoutClaim_ReturnsPublicationsThatAreNotTracked(bool postgres, int count)
    {
        await using var host = await SchedulingHost.StartAsync(postgres);
        var workers = host.Workers;
        var items = Enumerable.Range(0, count).Select(i => new ScheduleItem(Articles.New($"Untracked {i}"), [Account("untracked")], ScheduleTime.At(Now.AddHours(1)))).ToList();

        await using var scope = workers.Services.CreateAsyncScope();
        var publications = await scope.ServiceProvider.GetRequiredService<IPublicationScheduler>().ScheduleManyAsync(items);

        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        Assert.All(publications, p => Assert.Equal(EntityState.Detached, db.Entry(p).State));
        Assert.All(items, i => Assert.Equal(EntityState.Detached, db.Entry(i.Content).State));
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 300)]
    [InlineData(true, 1)]
    [InlineData(true, 300)]
    public async Task ScheduleMany_ClaimedForAnInlineSend_ReturnsPublicationsThatStayTracked(bool postgres, int count)
    {
        await using var host = await SchedulingHost.StartAsync(postgres);
        var workers = host.Workers;
        var items = Enumerable.Range(0, count).Select(i => new ScheduleItem(Articles.New($"Claimed {i}"), [Account("claimed")], ScheduleTime.At(Now))).ToList();

        await using var scope = workers.Services.CreateAsyncScope();
        var publications = await scope.ServiceProvider.GetRequiredService<IPublicationScheduler>()
            .ScheduleManyAsync(items, new ScheduleOptions { ClaimFor = "inline-send" });

        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        Assert.All(publications, p => Assert.Equal(EntityState.Unchanged, db.Entry(p).State));
    }
}
