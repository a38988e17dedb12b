using System.Security.Cryptography;
using Herald.Accounts;
using Herald.Contents;
using Herald.Publications;
using Herald.Scheduling;
using Herald.Storage;
using Herald.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.IntegrationTests.Workers;

/// <summary>
/// Herald composed as <c>herald work</c> composes it — engine, Dev.to adapter, storage, dispatcher and Hangfire
/// server — in this test process, on a test database, with settings given as configuration keys.
/// </summary>
internal sealed class WorkerHost : IAsyncDisposable
{
    private readonly IHost _host;

    private WorkerHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<WorkerHost> StartAsync(
        TestDatabase database, string credentialKey, TimeProvider clock, IDictionary<string, string?>? settings = null, bool start = true)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        builder.Services.AddSingleton(clock);
        // Mastodon for the tests that schedule images (it also registers the image inspector).
        builder.Services.AddHerald().AddDevTo().AddMastodon();
        builder.Services.AddHeraldStorage(database.ConnectionString, credentialKey);
        builder.Services.AddHeraldJobs(configuration);
        var host = builder.Build();
        await host.Services.MigrateHeraldDatabaseAsync();
        if (start)
        {
            await host.StartAsync();
        }

        return new WorkerHost(host);
    }

    /// <summary>Starts the workers of a host made with <c>start: false</c> (after seeding).</summary>
    public Task StartHostAsync() => _host.StartAsync();

    /// <summary>Stops the workers as a shutdown does (what they have not started sending is handed back).</summary>
    public Task StopHostAsync() => _host.StopAsync();

    public static string NewCredentialKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public async Task<IReadOnlyList<Publication>> ScheduleAsync(Content content, Account account, ScheduleTime when)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IPublicationScheduler>().ScheduleAsync(content, [account], when);
    }

    public async Task<PublicationDetails> GetAsync(PublicationId id)
    {
        await using var scope = Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<IPublicationScheduler>().GetAsync(id))!;
    }

    /// <summary>Every publication's status, counted.</summary>
    public async Task<Dictionary<PublicationStatus, int>> StatusCountsAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        return await db.Publications.AsNoTracking().GroupBy(p => p.Status).ToDictionaryAsync(g => g.Key, g => g.Count());
    }

    /// <summary>Each publication not yet published, with its retries and last error: what a test that timed out reports.</summary>
    public async Task<IReadOnlyList<string>> UnpublishedAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        var waiting = await db.Publications.AsNoTracking().Where(p => p.Status != PublicationStatus.Published).Take(20).ToListAsync();
        return [.. waiting.Select(p => $"{p.Id} {p.Status} (retries {p.RetryCount}, next attempt {p.NextAttemptAt:HH:mm:ss.fff}, last error: {p.LastError})")];
    }

    /// <summary>Polls until <paramref name="condition"/> holds about the publication (real time; fails after <paramref name="timeout"/>).</summary>
    public async Task<PublicationDetails> WaitForAsync(PublicationId id, Func<Publication, bool> condition, TimeSpan? timeout = null)
    {
        // Generous: a busy machine may take long over one attempt; the condition, not the wait, is what is tested.
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        var polls = 0;
        while (true)
        {
            var details = await GetAsync(id);
            if (condition(details.Publication))
            {
                return details;
            }

            if (DateTime.UtcNow > deadline)
            {
                var p = details.Publication;
                throw new TimeoutException(
                    $"Publication {id} is {p.Status} (retries {p.RetryCount}, recoveries {p.RecoveryCount}, last error: {p.LastError}); the condition did not hold in time.");
            }

            // The safety poll runs on the test's clock, which only the test moves: every second of real waiting, wake
            // the dispatcher as that poll would, so a wake-up lost to a race with the test's clock cannot stall it.
            if (++polls % 50 == 0)
            {
                Services.GetService<Herald.Workers.DueSignal>()?.Set();
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
