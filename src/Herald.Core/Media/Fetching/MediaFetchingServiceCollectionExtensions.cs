using Herald.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Herald.Media.Fetching;

/// <summary>Registers the guarded fetch of images given by URL (settings <c>Herald:Media</c>); part of <c>AddHerald</c>.</summary>
internal static class MediaFetchingServiceCollectionExtensions
{
    public static IServiceCollection AddHeraldMediaFetching(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(RemoteMediaFetcher)))
        {
            return services;
        }

        services.AddHeraldOptions<MediaFetchOptions>(MediaFetchOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MediaFetchOptions>, MediaFetchOptionsValidator>());
        services.TryAddSingleton<RemoteMediaFetcher>();
        // The fetcher keeps its own timeout (it covers redirects and the body); no request logging, since an image URL
        // may carry a signature in its query.
        services.AddHttpClient(RemoteMediaFetcher.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => RemoteMediaFetcher.CreateHandler(sp.GetRequiredService<IOptions<MediaFetchOptions>>().Value))
            .RemoveAllLoggers();
        return services;
    }
}

/// <summary>Reports every problem of <see cref="MediaFetchOptions"/> at once, each with its key.</summary>
internal sealed class MediaFetchOptionsValidator : IValidateOptions<MediaFetchOptions>
{
    public ValidateOptionsResult Validate(string? name, MediaFetchOptions options) =>
        options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
