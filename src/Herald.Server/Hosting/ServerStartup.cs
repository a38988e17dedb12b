using Herald.Platforms;
using Herald.Publications;
using Herald.Server.Accounts;
using Herald.Server.Dashboard;
using Herald.Server.Data;
using Herald.Storage;

namespace Herald.Server.Hosting;

/// <summary>
/// Runs before the workers and before the first request: applies the library's, the server's and (when it serves
/// the API) the dashboard's migrations,
/// starts the sandbox when asked, and stores the configured (and sandbox) accounts.
/// </summary>
internal sealed class ServerStartup(
    IServiceProvider services,
    HeraldServerOptions options,
    ServerSandbox sandbox,
    IConfiguration configuration,
    PlatformRegistry registry,
    HeraldDatabaseInfo database,
    TimeProvider timeProvider,
    ILogger<ServerStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await services.MigrateHeraldDatabaseAsync(cancellationToken);
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ServerDbContext>().Database.MigrateHeraldAsync(cancellationToken);
        if (options.ServesApi)
        {
            // Here, not in the dashboard's own start: data protection reads its key ring from the dashboard's tables
            // as soon as its hosted service starts, which comes after this one and before the dashboard's.
            await services.MigrateHeraldDashboardDatabaseAsync(cancellationToken);
        }

        if (options.Sandbox)
        {
            await sandbox.StartAsync(cancellationToken);
        }

        var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
        foreach (var account in ConfiguredAccounts.From(configuration, registry, options.Sandbox, timeProvider.GetUtcNow()))
        {
            await store.UpsertAccountAsync(account, cancellationToken);
        }

        ServerLog.Ready(logger, options.Role, HeraldDatabase.Describe(database.ConnectionString),
            sandbox.Server is { } server ? $", sandbox at {server.BaseAddress}" : "");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
