using Herald.DependencyInjection;
using Herald.Jobs;
using Herald.Storage;
using Herald.Storage.RateLimiting;
using Herald.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

public static class HeraldJobsServiceCollectionExtensions
{
    /// <summary>
    /// Runs Herald's workers in this host: the dispatcher and a Hangfire server (in-memory storage with SQLite,
    /// PostgreSQL storage with PostgreSQL). Needs <c>AddHerald</c> and <c>AddHeraldStorage</c>. Herald reads every
    /// setting from <paramref name="configuration"/> (over the host's own <c>IConfiguration</c>); the workers' come from
    /// <c>Herald:Workers</c> (see <see cref="WorkerOptions"/>), then <paramref name="configure"/>, checked when the host starts.
    /// </summary>
    public static IServiceCollection AddHeraldJobs(this IServiceCollection services, IConfiguration configuration, Action<WorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        HeraldSettings.UseConfiguration(services, configuration);
        // The same WorkerOptions AddHerald registers for the inline run: one lease and attempt budget for both.
        services.AddHeraldOptions(HeraldOptions.WorkersSection, configure);
        services.AddSingleton(sp => HeraldJobStorage.Create(sp.GetRequiredService<HeraldDatabaseInfo>()));
        services.AddSingleton<IBatchSink, HangfireBatchSink>();
        services.AddSingleton(sp => new PostgresRateLimitHold(sp.GetRequiredService<WorkerOptions>().AttemptTimeout));
        services.TryAddSingleton<BatchExecutor>();
        services.TryAddSingleton<WorkerWarmUp>();
        services.TryAddTransient<PublishBatchJob>();
        services.TryAddSingleton(sp =>
        {
            var database = sp.GetRequiredService<HeraldDatabaseInfo>();
            var options = sp.GetRequiredService<WorkerOptions>();
            var poll = options.SafetyPoll ?? (database.Provider == DatabaseProvider.PostgreSql ? TimeSpan.FromSeconds(15) : TimeSpan.FromSeconds(2));
            return new Dispatcher(
                sp.GetRequiredService<IPublicationQueue>(),
                sp.GetRequiredService<IBatchSink>(),
                sp.GetRequiredService<DueSignal>(),
                options,
                poll,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<Dispatcher>>());
        });
        services.AddHostedService<HeraldWorkerService>();
        // The host waits for the workers' own shutdown (the default 30 s would cut attempts of up to a minute).
        services.AddOptions<HostOptions>().Configure<WorkerOptions>((host, options) =>
        {
            if (host.ShutdownTimeout < options.ShutdownTimeout + TimeSpan.FromSeconds(5))
            {
                host.ShutdownTimeout = options.ShutdownTimeout + TimeSpan.FromSeconds(5);
            }
        });
        return services;
    }
}
