using Herald.DependencyInjection;
using Herald.Platforms;
using Herald.Platforms.Http;
using Herald.Platforms.Mastodon;
using Herald.Platforms.Media;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class MastodonServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Mastodon adapter, platform id <c>mastodon</c> (also <c>toot</c>, <c>masto</c>). Accounts need
    /// the credential <c>access_token</c> and, unless they are on mastodon.social, their instance as base URL;
    /// settings <c>visibility</c>, <c>spoiler_text</c> and <c>language</c> are optional. Calling it twice
    /// registers the adapter once.
    /// Its own settings come from the section <c>Herald:Mastodon</c>, then <paramref name="configure"/>; they are checked
    /// when the host starts.
    /// </summary>
    public static HeraldBuilder AddMastodon(this HeraldBuilder builder, Action<MastodonOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddPlatformOptions("Herald:Mastodon", configure);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MastodonOptions>, MastodonOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        // Scheduling reads the images of a content with it (sniffed, measured, animation refused).
        services.AddImageInspector();

        // No transport retry: a create is retried by the engine, with the same Idempotency-Key.
        services.AddPlatformHttpClient<MastodonOptions>(MastodonAdapter.HttpClientName, o => o.Timeout);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformAdapter, MastodonAdapter>());
        return builder;
    }
}
