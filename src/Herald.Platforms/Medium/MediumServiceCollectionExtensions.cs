using Herald.DependencyInjection;
using Herald.Platforms;
using Herald.Platforms.Http;
using Herald.Platforms.Media;
using Herald.Platforms.Medium;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class MediumServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Medium adapter, platform id <c>medium</c>. Accounts need the credential <c>access_token</c> (an
    /// existing integration token: Medium issues no new ones); settings <c>publish_status</c> (public, draft,
    /// unlisted; default public) and <c>license</c> are optional. Calling it twice registers it once.
    /// Its own settings come from the section <c>Herald:Medium</c>, then <paramref name="configure"/>; they are checked
    /// when the host starts.
    /// </summary>
    public static HeraldBuilder AddMedium(this HeraldBuilder builder, Action<MediumOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddPlatformOptions("Herald:Medium", configure);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MediumOptions>, MediumOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddImageInspector();

        // No transport retry: a POST is not idempotent, and Medium offers no way to check afterwards.
        services.AddPlatformHttpClient<MediumOptions>(MediumAdapter.HttpClientName, o => o.Timeout);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformAdapter, MediumAdapter>());
        return builder;
    }
}
