using Herald.DependencyInjection;
using Herald.Platforms;
using Herald.Platforms.DevTo;
using Herald.Platforms.Http;
using Herald.Platforms.Media;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class DevToServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Dev.to (Forem API v1) adapter, platform id <c>devto</c> (also <c>dev.to</c>, <c>dev_to</c>,
    /// <c>forem</c>). Accounts need the credential <c>api_key</c>; settings <c>published</c> (default true)
    /// and <c>footer</c> are optional. Calling it twice registers the adapter once.
    /// Its own settings come from the section <c>Herald:DevTo</c>, then <paramref name="configure"/>; they are checked
    /// when the host starts.
    /// </summary>
    public static HeraldBuilder AddDevTo(this HeraldBuilder builder, Action<DevToOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddPlatformOptions("Herald:DevTo", configure);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DevToOptions>, DevToOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddImageInspector();

        // No transport retry handler: a POST is not idempotent, and retrying is the engine's job
        // (docs/architecture.md "Retry"), after reconciling an Unknown outcome.
        services.AddPlatformHttpClient<DevToOptions>(DevToAdapter.HttpClientName, o => o.Timeout);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformAdapter, DevToAdapter>());
        return builder;
    }
}
