using Hangfire;
using Hangfire.AspNetCore;
using Herald.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Herald.Jobs;

/// <summary>
/// The worker role of a process: a Hangfire server on the <c>herald</c> queue, the dispatcher loop, and (with
/// PostgreSQL) the LISTEN connection that wakes the dispatcher when another process adds work.
/// </summary>
internal sealed class HeraldWorkerService(
    JobStorage storage,
    Dispatcher dispatcher,
    WorkerOptions options,
    IServiceScopeFactory scopes,
    WorkerWarmUp warmUp,
    IEnumerable<IDueListener> listeners,
    IEnumerable<IDatabaseClock> clocks) : BackgroundService
{
    /// <summary>How often the database clock's offset is measured again (clocks drift; NTP steps them).</summary>
    private static readonly TimeSpan ClockSyncInterval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                WorkerCount = options.Count,
                Queues = [PublishBatchJob.Queue],
                ServerName = $"herald-{Environment.MachineName}-{Environment.ProcessId}",
                Activator = new AspNetCoreJobActivator(scopes),
                // Longer than any attempt: a stopping worker lets what it is sending finish and record its outcome.
                ShutdownTimeout = options.ShutdownTimeout,
            },
            storage);
        var tasks = listeners.Select(l => l.ListenAsync(stoppingToken))
            .Concat(clocks.Select(c => KeepInSyncAsync(c, stoppingToken)))
            .Append(dispatcher.RunAsync(stoppingToken))
            // Beside the dispatcher, not before it: a publication already due is claimed at once.
            .Append(warmUp.RunAsync(stoppingToken))
            .ToList();
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        server.SendStop();
        await server.WaitForShutdownAsync(CancellationToken.None);
    }

    private static async Task KeepInSyncAsync(IDatabaseClock clock, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await clock.SyncAsync(stoppingToken);
                await Task.Delay(ClockSyncInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // The database is away for a moment: the last offset stands, and the next round measures again.
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
