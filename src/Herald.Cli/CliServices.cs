using Herald.Cli.Configuration;
using Herald.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Cli;

/// <summary>Composes Herald for the CLI: engine, platforms, storage and quiet logging.</summary>
internal static class CliServices
{
    /// <summary>The CLI's services, every setting checked (each bad value named with its key) before a command runs.</summary>
    public static ServiceProvider Build(IConfiguration configuration, bool verbose)
    {
        var services = new ServiceCollection();
        Add(services, configuration, verbose);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        try
        {
            // What a host does when it starts: every options type bound and validated now, not at first use.
            provider.GetService<IStartupValidator>()?.Validate();
        }
        catch
        {
            provider.Dispose();
            throw;
        }

        return provider;
    }

    /// <summary>
    /// Everything but the workers; <c>herald work</c> adds <c>AddHeraldJobs</c> on top. Each registration binds its
    /// own section of <paramref name="configuration"/> (<c>Herald</c>, <c>Herald:Workers</c>, <c>Herald:&lt;Platform&gt;</c>);
    /// only the database and the credential key are read here, because storage takes them as arguments.
    /// </summary>
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
        services.AddHerald().AddEveryPlatform();
        services.AddHeraldStorage(HeraldDatabase.ResolveConnectionString(configuration), configuration["Herald:CredentialKey"]);
        // Sandbox accounts are stored without an endpoint; `herald work --sandbox` replaces this with its sandbox.
        services.AddSingleton(SandboxAccountMarker.WithoutSandbox);
        services.AddScoped<Commands.PublicationLookup>();
        Output.PartProgress.Observe(services);
    }
}
