using Herald.Scheduling;
using Herald.Validation;
using Microsoft.Extensions.DependencyInjection;
using static Herald.IntegrationTests.Workers.BulkScheduleTests;

namespace Herald.IntegrationTests.Workers;

/// <summary>
/// The repost guard's problems name the target as the rest of validation does: <c>targets[j]</c> in a single call
/// (which has no items), <c>items[i].targets[j]</c> in a bulk one.
/// </summary>
public sealed class RepostMessageTests
{
    [Fact]
    public async Task Schedule_SingleCallRepost_NamesTheTargetWithoutItems()
    {
        await using var host = await SchedulingHost.StartAsync(postgres: false);
        var workers = host.Workers;
        var article = Articles.New("Posted once");
        var first = await workers.ScheduleAsync(article, Account("single-a"), ScheduleTime.At(Now.AddHours(1)));

        var refused = await Assert.ThrowsAsync<ContentValidationException>(() => ScheduleAsync(
            workers, Copy(article), [Account("single-b"), Account("single-a")]));

        var problem = Assert.Single(refused.Problems);
        Assert.Equal("targets[1]", problem.Field);
        Assert.Contains(first[0].Id.ToString(), problem.Message, StringComparison.Ordinal);
        Assert.Contains("'single-a' (devto)", problem.Message, StringComparison.Ordinal);
        Assert.Contains("herald post --again", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("items[", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(again)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_SingleCallNamingOneAccountTwice_NamesBothTargetsWithoutItems()
    {
        await using var host = await SchedulingHost.StartAsync(postgres: false);
        var workers = host.Workers;

        var refused = await Assert.ThrowsAsync<ContentValidationException>(() => ScheduleAsync(
            workers, Articles.New("Twice in one call"), [Account("twice"), Account("other"), Account("twice")]));

        var problem = Assert.Single(refused.Problems);
        Assert.Equal("targets[2]", problem.Field);
        Assert.Contains("targets[0]", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("items[", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(again)", problem.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await workers.StatusCountsAsync()).Values.Sum());
    }

    [Fact]
    public async Task ScheduleMany_OneAccountTwiceInAnItem_NamesBothTargetsOfThatItem()
    {
        await using var host = await SchedulingHost.StartAsync(postgres: false);
        var workers = host.Workers;

        var refused = await Assert.ThrowsAsync<ContentValidationException>(() => ScheduleManyAsync(workers, [
            new(Articles.New("Fine"), [Account("bulk-one")], ScheduleTime.At(Now.AddHours(1))),
            new(Articles.New("Twice in an item"), [Account("bulk-one"), Account("bulk-one")], ScheduleTime.At(Now.AddHours(1))),
        ]));

        var problem = Assert.Single(refused.Problems);
        Assert.Equal("items[1].targets[1]", problem.Field);
        Assert.Contains("items[1].targets[0]", problem.Message, StringComparison.Ordinal);
    }

    private static async Task ScheduleAsync(WorkerHost workers, Herald.Contents.Content content, IReadOnlyList<Herald.Accounts.Account> accounts)
    {
        await using var scope = workers.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IPublicationScheduler>().ScheduleAsync(content, accounts, ScheduleTime.At(Now.AddHours(2)));
    }
}
