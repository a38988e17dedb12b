using Herald.Contents;
using Herald.Scheduling;
using Herald.Storage;
using Herald.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Herald.IntegrationTests.Workers.BulkScheduleTests;

namespace Herald.IntegrationTests.Workers;

/// <summary>
/// Contents the database could not take as given, on real SQLite and PostgreSQL: a field longer than its column is
/// refused by name before anything is stored; a creation time with a local offset is stored as the same instant.
/// </summary>
public sealed class ContentStorageTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Schedule_AuthorLongerThanItsColumn_IsRefusedNamingTheFieldAndTheLimitAndStoresNothing(bool postgres)
    {
        await using var host = await SchedulingHost.StartAsync(postgres);
        var workers = host.Workers;
        var article = Articles.New("A long byline");
        var bylined = new Content { Title = article.Title, Body = article.Body, CanonicalUrl = article.CanonicalUrl, Author = new string('a', 201) };

        var refused = await Assert.ThrowsAsync<ContentValidationException>(() => ScheduleManyAsync(workers, [
            new(Articles.New("Fine"), [Account("lengths")], ScheduleTime.At(Now.AddHours(1))),
            new(bylined, [Account("lengths")], ScheduleTime.At(Now.AddHours(1))),
        ]));

        var problem = Assert.Single(refused.Problems);
        Assert.Equal("items[1].author", problem.Field);
        Assert.Contains("the limit is 200 characters", problem.Message, StringComparison.Ordinal);
        await using var scope = workers.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        Assert.Equal(0, await db.Contents.CountAsync());
        Assert.Equal(0, await db.Accounts.CountAsync());
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 300)]
    [InlineData(true, 1)] // tracked inserts
    [InlineData(true, 300)] // binary COPY
    public async Task ScheduleMany_ContentCreatedWithALocalOffset_IsStoredAsTheSameInstant(bool postgres, int count)
    {
        await using var host = await SchedulingHost.StartAsync(postgres);
        var workers = host.Workers;
        var created = new DateTimeOffset(2026, 11, 30, 18, 30, 0, TimeSpan.FromHours(2));
        var items = Enumerable.Range(0, count).Select(i =>
        {
            var article = Articles.New($"Written in Berlin {i}");
            var content = new Content { Title = article.Title, Body = article.Body, CanonicalUrl = article.CanonicalUrl, CreatedAt = created };
            return new ScheduleItem(content, [Account("offsets")], ScheduleTime.At(Now.AddHours(1)));
        }).ToList();

        await ScheduleManyAsync(workers, items);

        await using var scope = workers.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Contents.AsNoTracking().Select(c => c.CreatedAt).ToListAsync();
        Assert.Equal(count, stored.Count);
        Assert.All(stored, at => Assert.Equal((created.UtcDateTime, TimeSpan.Zero), (at.UtcDateTime, at.Offset)));
    }
}
