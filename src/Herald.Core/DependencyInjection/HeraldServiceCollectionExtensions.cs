using Herald.Accounts;
using Herald.DependencyInjection;
using Herald.Engine;
using Herald.Formatting;
using Herald.Platforms;
using Herald.Publications;
using Herald.Scheduling;
using Herald.Scheduling.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class HeraldServiceCollectionExtensions
{
    /// <summary>
    /// Adds Herald's engine and platform registry. Add platforms on the returned builder:
    /// <c>services.AddHerald().AddDevTo().AddLinkedIn()</c>.
    /// </summary>
    public static HeraldBuilder AddHerald(this IServiceCollection services, Action<HeraldOptions>? configure = null)
    {
        var options = services.AddOptions<HeraldOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.MaxRetries >= 0, "Herald:MaxRetries must be 0 or more.");
        options.Validate(o => !o.Limits.Problems().Any(), "Herald:Limits: every limit must be positive.");
        services.TryAddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<HeraldOptions>>().Value.Limits);
        services.TryAddSingleton<MarkdownFileReader>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new PlatformRegistry(sp.GetServices<IPlatformAdapter>()));
        services.TryAddSingleton<IPublishingEngine, PublishingEngine>();
        services.TryAddSingleton<IAccountCredentialsStore, InMemoryAccountCredentialsStore>();
        services.TryAddSingleton(sp => new RetryPolicies(RetryPolicy.Default with
        {
            MaxRetries = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<HeraldOptions>>().Value.MaxRetries,
        }));
        services.TryAddSingleton(sp => new RateLimitPolicies(sp.GetRequiredService<PlatformRegistry>()));
        services.TryAddSingleton<IPublishRateLimiters, InMemoryPublishRateLimiters>();
        services.TryAddSingleton<DueSignal>();
        services.TryAddSingleton<IDueNotifier>(sp => sp.GetRequiredService<DueSignal>());
        services.TryAddSingleton<IAccountEndpointResolver, DefaultAccountEndpointResolver>();
        // Scoped: they work with the scoped publication store.
        services.TryAddScoped<PublicationRunner>();
        services.TryAddScoped<IPublicationScheduler, PublicationScheduler>();
        return new HeraldBuilder(services);
    }
}
