using Herald.DependencyInjection;
using Herald.Platforms;
using Herald.Platforms.Http;
using Herald.Platforms.LinkedIn;
using Herald.Platforms.Media;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class LinkedInServiceCollectionExtensions
{
    /// <summary>
    /// Adds the LinkedIn adapter, platform id <c>linkedin</c> (also <c>li</c>). Accounts work in manual mode
    /// by default (a ready-to-paste draft, no credentials); with the setting <c>mode</c> = <c>api</c> they need
    /// the credential <c>access_token</c> and the setting <c>author_urn</c>. Calling it twice registers it once.
    /// Its own settings come from the section <c>Herald:LinkedIn</c>, then <paramref name="configure"/>; they are checked
    /// when the host starts.
    /// </summary>
    public static HeraldBuilder AddLinkedIn(this HeraldBuilder builder, Action<LinkedInOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddPlatformOptions("Herald:LinkedIn", configure);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LinkedInOptions>, LinkedInOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddImageInspector();

        // No transport retry: a POST is not idempotent; the engine retries after reconciling.
        services.AddPlatformHttpClient<LinkedInOptions>(LinkedInAdapter.HttpClientName, o => o.Timeout);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformAdapter, LinkedInAdapter>());
        return builder;
    }
}
