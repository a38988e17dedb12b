using Herald.Contents;
using Herald.Scheduling;
using Herald.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Herald.Cli;

/// <summary>Composes Herald for the CLI: engine, platforms, storage and quiet logging.</summary>
internal static class CliServices
{
    public static ServiceProvider Build(IConfiguration configuration, bool verbose)
    {
        var services = new ServiceCollection();
        Add(services, configuration, verbose);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>Everything but the workers; <c>herald work</c> adds <c>AddHeraldJobs</c> on top.</summary>
    public static void Add(IServiceCollection services, IConfiguration configuration, bool verbose)
    {
        services.AddSingleton(configuration);
        services.AddLogging(logging => logging
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning)
            .AddFilter("System.Net.Http.HttpClient", verbose ? LogLevel.Information : LogLevel.Error)
            .AddFilter("Microsoft.EntityFrameworkCore", verbose ? LogLevel.Warning : LogLevel.None)
            .AddFilter("Hangfire", LogLevel.Error)
            .AddFilter("Microsoft.Hosting", LogLevel.Error));
        services.AddHerald(o =>
            {
                o.MaxRetries = configuration.GetValue("Herald:MaxRetries", 3);
                configuration.GetSection(ContentLimits.Section).Bind(o.Limits);
            })
            .AddDevTo(o => configuration.GetSection("Herald:DevTo").Bind(o))
            .AddLinkedIn(o =>
            {
                if (configuration["Herald:LinkedIn:Version"] is { Length: > 0 } version)
                {
                    o.Version = version;
                }
            })
            .AddX()
            .AddMedium()
            .AddMastodon()
            .AddBluesky()
            .AddThreads(o => configuration.GetSection("Herald:Threads").Bind(o));
        services.AddHeraldPolicies(configuration);
        // The inline `herald post` runs under the same lease and attempt budget as the workers.
        var workers = new WorkerOptions();
        configuration.GetSection("Herald:Workers").Bind(workers);
        services.TryAddSingleton(workers);
        services.AddHeraldStorage(HeraldDatabase.ResolveConnectionString(configuration), configuration["Herald:CredentialKey"]);
    }
}
