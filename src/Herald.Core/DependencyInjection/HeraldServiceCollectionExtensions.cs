using Herald.Accounts;
using Herald.DependencyInjection;
using Herald.Engine;
using Herald.Platforms;
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
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new PlatformRegistry(sp.GetServices<IPlatformAdapter>()));
        services.TryAddSingleton<IPublishingEngine, PublishingEngine>();
        services.TryAddSingleton<IAccountCredentialsStore, InMemoryAccountCredentialsStore>();
        // Scoped: it works with the scoped publication store.
        services.TryAddScoped<PublicationRunner>();
        return new HeraldBuilder(services);
    }
}
