using Herald.DependencyInjection;
using Herald.Platforms;
using Herald.Platforms.Http;
using Herald.Platforms.Media;
using Herald.Platforms.X;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class XServiceCollectionExtensions
{
    /// <summary>
    /// Adds the X (API v2) adapter, platform id <c>x</c> (also <c>twitter</c>). Accounts need OAuth 2.0 user
    /// credentials (<c>access_token</c>; <c>refresh_token</c> + <c>client_id</c> [+ <c>client_secret</c>] to renew
    /// it) or OAuth 1.0a user credentials (<c>consumer_key</c>, <c>consumer_secret</c>, <c>access_token</c>,
    /// <c>access_token_secret</c>); the setting <c>username</c> is optional. Calling it twice registers it once.
    /// Its own settings come from the section <c>Herald:X</c>, then <paramref name="configure"/>; they are checked
    /// when the host starts.
    /// </summary>
    public static HeraldBuilder AddX(this HeraldBuilder builder, Action<XOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddPlatformOptions("Herald:X", configure);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<XOptions>, XOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddImageInspector();

        // No transport retry: a POST is not idempotent; the engine retries after reconciling.
        services.AddPlatformHttpClient<XOptions>(XAdapter.HttpClientName, o => o.Timeout);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformAdapter, XAdapter>());
        return builder;
    }
}
