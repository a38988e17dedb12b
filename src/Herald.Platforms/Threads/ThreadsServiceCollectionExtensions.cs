using Herald.DependencyInjection;
using Herald.Platforms;
using Herald.Platforms.Http;
using Herald.Platforms.Media;
using Herald.Platforms.Threads;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class ThreadsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Threads adapter, platform id <c>threads</c> (also <c>threads.net</c>, <c>meta-threads</c>). Accounts
    /// need the credential <c>access_token</c>; the setting <c>user_id</c> (default <c>me</c>) is optional. Calling
    /// it twice registers the adapter once.
    /// Its own settings come from the section <c>Herald:Threads</c>, then <paramref name="configure"/>; they are checked
    /// when the host starts.
    /// </summary>
    public static HeraldBuilder AddThreads(this HeraldBuilder builder, Action<ThreadsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddPlatformOptions("Herald:Threads", configure);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ThreadsOptions>, ThreadsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddImageInspector();

        // No transport retry: threads_publish must never be repeated blindly; the adapter decides from the
        // container's status, and the engine retries the rest.
        services.AddPlatformHttpClient<ThreadsOptions>(ThreadsAdapter.HttpClientName, o => o.Timeout);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformAdapter, ThreadsAdapter>());
        return builder;
    }
}
