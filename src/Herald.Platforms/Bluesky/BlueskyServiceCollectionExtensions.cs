using Herald.DependencyInjection;
using Herald.Platforms;
using Herald.Platforms.Bluesky;
using Herald.Platforms.Http;
using Herald.Platforms.Media;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class BlueskyServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Bluesky adapter, platform id <c>bluesky</c> (also <c>bsky</c>). Accounts need the credentials
    /// <c>identifier</c> (the handle) and <c>app_password</c>; the session Herald gets with them is kept with the
    /// account (<c>access_jwt</c>, <c>refresh_jwt</c>, <c>did</c>, <c>handle</c>, <c>pds_url</c>). The setting
    /// <c>language</c> is optional. Calling it twice registers the adapter once.
    /// Its own settings come from the section <c>Herald:Bluesky</c>, then <paramref name="configure"/>; they are checked
    /// when the host starts.
    /// </summary>
    public static HeraldBuilder AddBluesky(this HeraldBuilder builder, Action<BlueskyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddPlatformOptions("Herald:Bluesky", configure);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BlueskyOptions>, BlueskyOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        // Scheduling reads the images of a content with it (sniffed, measured, animation refused).
        services.AddImageInspector();

        // No transport retry: a create is retried by the engine, under the same record key.
        services.AddPlatformHttpClient<BlueskyOptions>(BlueskyAdapter.HttpClientName, o => o.Timeout);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformAdapter, BlueskyAdapter>());
        return builder;
    }
}
