using Hangfire;
using Hangfire.AspNetCore;
using Herald.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Webhooks;

/// <summary>
/// The webhook side of a worker process: a Hangfire server on the <c>webhooks</c> queue (its scheduler polls every
/// <see cref="WebhookOptions.PollInterval"/>, so retries come on time), and a loop that makes events from publication
/// changes and hands them out. Every <see cref="SweepInterval"/> it also hands out events whose job was lost (a
/// restart with in-memory job storage, a crash mid-attempt): the database, not Hangfire, is the truth.
/// </summary>
internal sealed class WebhookWorker(
    JobStorage storage,
    IServiceScopeFactory scopes,
    WebhookQueue queue,
    WebhookOptions options,
    TimeProvider clock,
    ILogger<WebhookWorker> logger) : BackgroundService
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                WorkerCount = 2,
                Queues = [WebhookQueue.Name],
                ServerName = $"herald-webhooks-{Environment.MachineName}-{Environment.ProcessId}",
                Activator = new AspNetCoreJobActivator(scopes),
                SchedulePollingInterval = options.PollInterval,
                ShutdownTimeout = options.Timeout + TimeSpan.FromSeconds(5),
            },
            storage);
        var lastSweep = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                foreach (var (webhook, publication) in await scope.ServiceProvider.GetRequiredService<WebhookFanOut>().RunAsync(stoppingToken))
                {
                    queue.Enqueue(webhook, publication);
                }

                if (clock.GetUtcNow() - lastSweep >= SweepInterval)
                {
                    await SweepAsync(scope.ServiceProvider.GetRequiredService<ServerDbContext>(), lastSweep == DateTimeOffset.MinValue, stoppingToken);
                    lastSweep = clock.GetUtcNow();
                }

                await Task.Delay(options.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException or DbUpdateException)
            {
                WebhookLog.RoundFailed(logger, ex);
                await Task.Delay(options.PollInterval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        server.SendStop();
        await server.WaitForShutdownAsync(CancellationToken.None);
    }

    /// <summary>Hands out the pairs whose oldest open event is overdue: by a sweep interval, or at all on the first sweep after a start.</summary>
    private async Task SweepAsync(ServerDbContext db, bool firstSinceStart, CancellationToken cancellationToken)
    {
        var overdue = clock.GetUtcNow() - (firstSinceStart ? TimeSpan.Zero : SweepInterval);
        var pairs = await db.WebhookEvents.AsNoTracking()
            .Where(e => (e.Status == WebhookEventStatus.Pending || e.Status == WebhookEventStatus.Sending) && e.NextAttemptAt <= overdue)
            .Select(e => new { e.WebhookId, e.PublicationId })
            .Distinct()
            .OrderBy(e => e.WebhookId).ThenBy(e => e.PublicationId)
            .Take(1000)
            .ToListAsync(cancellationToken);
        foreach (var pair in pairs)
        {
            queue.Enqueue(pair.WebhookId, pair.PublicationId);
        }
    }
}
