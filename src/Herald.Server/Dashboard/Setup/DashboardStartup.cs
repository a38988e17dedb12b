using Herald.Server.Dashboard.Identity;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Dashboard.Setup;

/// <summary>
/// Applies the dashboard's migrations before the first request; once the server listens, if no dashboard user
/// exists, writes the one-time setup link to the console.
/// </summary>
internal sealed class DashboardStartup(
    IServiceProvider services,
    IServer server,
    IHostApplicationLifetime lifetime,
    DashboardSetup setup,
    DashboardConsole console,
    ILogger<DashboardStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DashboardIdentityDbContext>().Database.MigrateAsync(cancellationToken);
        }

        lifetime.ApplicationStarted.Register(() => _ = AnnounceAsync(lifetime.ApplicationStopping));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            if (await scope.ServiceProvider.GetRequiredService<DashboardUsers>().AnyAsync(cancellationToken) || setup.LinkPath is not { } path)
            {
                return;
            }

            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
            await console.Output.WriteLineAsync(
                $"Dashboard: no user yet. Create the first admin at {address.TrimEnd('/')}{path} " +
                "(works once, while this server runs; or run `herald users add NAME`).");
            await console.Output.FlushAsync(cancellationToken);
            DashboardLog.SetupLinkWritten(logger);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DashboardLog.SetupLinkFailed(logger, ex.GetType().Name);
        }
    }
}
