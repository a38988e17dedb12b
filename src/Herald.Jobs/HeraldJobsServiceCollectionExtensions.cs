using Herald.Jobs;
using Herald.Platforms;
using Herald.Publications;
using Herald.Scheduling;
using Herald.Scheduling.RateLimiting;
using Herald.Storage;
using Herald.Storage.Queue;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

public static class HeraldJobsServiceCollectionExtensions
{
    /// <summary>
    /// Reads the retry and rate-limit policies from configuration (<c>Herald:MaxRetries</c>,
    /// <c>Herald:Retry[:{platform}]:MaxRetries|BaseDelay|MaxDelay</c>, <c>Herald:RateLimits[:{platform}]:Enabled|Permits|Window</c>).
    /// Every host that schedules needs them: the retry policy decides a publication's max retries when it is stored.
    /// </summary>
    public static IServiceCollection AddHeraldPolicies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(HeraldPolicyConfiguration.ReadRetryPolicies(configuration));
        services.AddSingleton(sp => HeraldPolicyConfiguration.ReadRateLimits(configuration, sp.GetRequiredService<PlatformRegistry>()));
        return services;
    }

    /// <summary>
    /// Runs Herald's workers in this host: the dispatcher and a Hangfire server (in-memory storage with SQLite,
    /// PostgreSQL storage with PostgreSQL). Needs <c>AddHerald</c> and <c>AddHeraldStorage</c>; settings from
    /// <c>Herald:Workers</c> (see <see cref="WorkerOptions"/>), then <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddHeraldJobs(this IServiceCollection services, IConfiguration configuration, Action<WorkerOptions>? configure = null)
    {
        var options = new WorkerOptions();
        configuration.GetSection("Herald:Workers").Bind(options);
        configure?.Invoke(options);
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }

        services.AddHeraldPolicies(configuration);
        services.AddSingleton(options);
        services.AddSingleton(sp => HeraldJobStorage.Create(sp.GetRequiredService<HeraldDatabaseInfo>()));
        services.AddSingleton<IBatchSink, HangfireBatchSink>();
        services.AddSingleton(new PostgresRateLimitHold(options.AttemptTimeout));
        services.TryAddSingleton<BatchExecutor>();
        services.TryAddTransient<PublishBatchJob>();
        services.TryAddSingleton(sp =>
        {
            var database = sp.GetRequiredService<HeraldDatabaseInfo>();
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
        services.Configure<HostOptions>(host =>
        {
            if (host.ShutdownTimeout < options.ShutdownTimeout + TimeSpan.FromSeconds(5))
            {
                host.ShutdownTimeout = options.ShutdownTimeout + TimeSpan.FromSeconds(5);
            }
        });
        return services;
    }
}

/// <summary>Reads retry and rate-limit settings, reporting every bad value with its key.</summary>
internal static class HeraldPolicyConfiguration
{
    private static readonly HashSet<string> RetryKeys = new(StringComparer.OrdinalIgnoreCase) { "MaxRetries", "BaseDelay", "MaxDelay" };
    private static readonly HashSet<string> RateKeys = new(StringComparer.OrdinalIgnoreCase) { "Enabled", "Permits", "Window" };

    public static RetryPolicies ReadRetryPolicies(IConfiguration configuration)
    {
        var section = configuration.GetSection("Herald:Retry");
        var defaults = Retry(section, RetryPolicy.Default with
        {
            MaxRetries = configuration.GetValue("Herald:MaxRetries", RetryPolicy.Default.MaxRetries),
        });
        var platforms = section.GetChildren()
            .Where(c => !RetryKeys.Contains(c.Key))
            .ToDictionary(c => PlatformRegistry.Normalize(c.Key), c => Retry(c, defaults), StringComparer.OrdinalIgnoreCase);
        return new RetryPolicies(defaults, platforms);
    }

    public static RateLimitPolicies ReadRateLimits(IConfiguration configuration, PlatformRegistry registry)
    {
        var section = configuration.GetSection("Herald:RateLimits");
        var overrides = section.GetChildren()
            .Where(c => !RateKeys.Contains(c.Key))
            .ToDictionary(
                c => PlatformRegistry.Normalize(c.Key),
                c => new RateLimitOverride(c.GetValue<bool?>("Enabled"), c.GetValue<int?>("Permits"), c.GetValue<TimeSpan?>("Window")),
                StringComparer.OrdinalIgnoreCase);
        foreach (var (platform, limit) in overrides)
        {
            if (limit.Permits is < 1 || limit.Window is { } w && w <= TimeSpan.Zero)
            {
                throw new InvalidOperationException(
                    $"Herald:RateLimits:{platform}: Permits must be at least 1 and Window positive (such as 00:00:30).");
            }
        }

        return new RateLimitPolicies(registry, section.GetValue("Enabled", true), overrides);
    }

    private static RetryPolicy Retry(IConfiguration section, RetryPolicy fallback) => fallback with
    {
        MaxRetries = section.GetValue("MaxRetries", fallback.MaxRetries),
        BaseDelay = section.GetValue("BaseDelay", fallback.BaseDelay),
        MaxDelay = section.GetValue("MaxDelay", fallback.MaxDelay),
    };
}
