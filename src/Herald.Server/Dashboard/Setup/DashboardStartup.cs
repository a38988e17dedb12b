using Herald.Server.Dashboard.Identity;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Herald.Server.Dashboard.Setup;

/// <summary>
/// Once the server listens, if no dashboard user exists, writes the one-time setup link to the console (the
/// dashboard's migrations ran before, in <see cref="Hosting.ServerStartup"/>).
/// </summary>
internal sealed class DashboardStartup(
    IServiceProvider services,
    IServer server,
    IHostApplicationLifetime lifetime,
    DashboardSetup setup,
    DashboardConsole console,
    ILogger<DashboardStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = AnnounceAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
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
