using Microsoft.Extensions.Time.Testing;

namespace Herald.IntegrationTests.Workers;

/// <summary>A fresh database and a worker host on it that does not dispatch: for tests of what scheduling stores.</summary>
internal sealed class SchedulingHost : IAsyncDisposable
{
    private readonly TestDatabase _database;

    private SchedulingHost(TestDatabase database, WorkerHost workers)
    {
        _database = database;
        Workers = workers;
    }

    public WorkerHost Workers { get; }

    public static async Task<SchedulingHost> StartAsync(bool postgres)
    {
        var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), new FakeTimeProvider(BulkScheduleTests.Now), start: false);
        return new SchedulingHost(database, workers);
    }

    public async ValueTask DisposeAsync()
    {
        await Workers.DisposeAsync();
        await _database.DisposeAsync();
    }
}
