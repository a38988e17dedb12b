using Hangfire;
using Hangfire.AspNetCore;
using Herald.Scheduling;
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
    IEnumerable<IDueListener> listeners) : BackgroundService
{
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
        var tasks = listeners.Select(l => l.ListenAsync(stoppingToken)).Append(dispatcher.RunAsync(stoppingToken)).ToList();
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
}
