using Hangfire;
using Herald.Accounts;
using Herald.Jobs;
using Herald.Platforms;
using Herald.Publications;
using Herald.Scheduling;
using Herald.Storage;
using Herald.Workers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.IntegrationTests.Workers;

/// <summary>
/// The warm-up a worker runs as it starts takes a batch's steps on a publication that does not exist: it must
/// render for every platform, change no row, send nothing, and never stop the worker when it fails.
/// </summary>
public sealed class WorkerWarmUpTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WarmUp_BesideAScheduledPublication_RendersEveryPlatformAndChangesNothing(bool postgres)
    {
        await using var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using var worker = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), TimeProvider.System);
        // Due tomorrow: no worker touches it today; nothing listens at the address, so a send could not succeed.
        var account = new Account
        {
            Platform = "devto",
            DisplayName = "warm-up neighbour",
            BaseUrl = new Uri("http://127.0.0.1:9/"),
            Credentials = new AccountCredentials { ["api_key"] = "k" },
        };
        var scheduled = (await worker.ScheduleAsync(Articles.New("Left as it is"), account, ScheduleTime.At(DateTimeOffset.UtcNow.AddDays(1)))).Single();
        var before = (await worker.GetAsync(scheduled.Id)).Publication;
        var jobs = worker.Services.GetRequiredService<JobStorage>().GetMonitoringApi();

        var rendered = await worker.Services.GetRequiredService<WorkerWarmUp>().RunAsync(CancellationToken.None);

        Assert.Equal(worker.Services.GetRequiredService<PlatformRegistry>().Adapters.Count, rendered);
        // Its batch (and the one of the warm-up the start ran) goes through the job engine and owns nothing there.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (jobs.SucceededListCount() < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The warm-up batches did not run: {jobs.SucceededListCount()} succeeded, {jobs.FailedCount()} failed.");
            await Task.Delay(20);
        }

        Assert.Equal(0, jobs.FailedCount());
        Assert.Equal(0, worker.Services.GetRequiredService<BatchExecutor>().RunsStarted);
        var after = await worker.GetAsync(scheduled.Id);
        Assert.Equal(PublicationStatus.Scheduled, after.Publication.Status);
        Assert.Equal(before.Version, after.Publication.Version);
        Assert.Equal(0, after.Publication.AttemptCount);
        Assert.Empty(after.Attempts);
        await using var scope = worker.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        Assert.Equal(1, await db.Publications.CountAsync());
        Assert.Equal(0, await db.Attempts.CountAsync());
    }

    [Fact]
    public async Task WarmUp_DatabaseUnreachable_ReturnsNullAndHandsNoBatchToTheJobEngine()
    {
        await using var database = TestDatabase.Sqlite();
        await using var worker = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), TimeProvider.System, start: false);
        // The database file's folder goes away under the worker: every step that reads or writes fails.
        SqliteConnection.ClearAllPools();
        var folder = Path.GetDirectoryName(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource)!;
        Directory.Delete(folder, recursive: true);
        try
        {
            var rendered = await worker.Services.GetRequiredService<WorkerWarmUp>().RunAsync(CancellationToken.None);

            Assert.Null(rendered);
            Assert.Equal(0, worker.Services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedCount(PublishBatchJob.Queue));
        }
        finally
        {
            Directory.CreateDirectory(folder);
        }
    }
}
