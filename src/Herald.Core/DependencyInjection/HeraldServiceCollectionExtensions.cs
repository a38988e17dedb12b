using Herald.Accounts;
using Herald.DependencyInjection;
using Herald.Engine;
using Herald.Formatting;
using Herald.Media.Fetching;
using Herald.Platforms;
using Herald.Scheduling;
using Herald.Workers;
using Herald.Workers.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class HeraldServiceCollectionExtensions
{
    /// <summary>
    /// Adds Herald's engine and platform registry. Add platforms on the returned builder:
    /// <c>services.AddHerald().AddDevTo().AddLinkedIn()</c>. Settings come from the host's configuration
    /// (<c>Herald:MaxRetries</c>, <c>Herald:Limits</c>, <c>Herald:Media</c>, <c>Herald:Retry</c>, <c>Herald:RateLimits</c>, and
    /// <c>Herald:Workers</c>, whose lease and attempt budget the inline run and the workers share), then from
    /// <paramref name="configure"/>; bad values stop the host's start, each named with its key.
    /// </summary>
    public static HeraldBuilder AddHerald(this IServiceCollection services, Action<HeraldOptions>? configure = null)
    {
        services.AddHeraldOptions(HeraldOptions.Section, configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HeraldOptions>, HeraldOptionsValidator>());
        services.AddHeraldOptions<WorkerOptions>(HeraldOptions.WorkersSection);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<WorkerOptions>>().Value);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<HeraldOptions>>().Value.Limits);
        services.TryAddSingleton<MarkdownFileReader>();
        services.AddHeraldMediaFetching();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new PlatformRegistry(sp.GetServices<IPlatformAdapter>()));
        services.TryAddSingleton<IPublishingEngine, PublishingEngine>();
        services.TryAddSingleton<IAccountCredentialsStore, InMemoryAccountCredentialsStore>();
        services.TryAddSingleton(sp => HeraldPolicySettings.ReadRetryPolicies(
            HeraldSettings.ConfigurationOf(sp), sp.GetRequiredService<IOptions<HeraldOptions>>().Value.MaxRetries));
        services.TryAddSingleton(sp => HeraldPolicySettings.ReadRateLimits(HeraldSettings.ConfigurationOf(sp), sp.GetRequiredService<PlatformRegistry>()));
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

/// <summary>Reports every problem of the Herald-wide settings at once, each with its key.</summary>
internal sealed class HeraldOptionsValidator : IValidateOptions<HeraldOptions>
{
    public ValidateOptionsResult Validate(string? name, HeraldOptions options)
    {
        var failures = new List<string>();
        if (options.MaxRetries < 0)
        {
            failures.Add($"{HeraldOptions.Section}:{nameof(HeraldOptions.MaxRetries)} must be 0 or more (not {options.MaxRetries}).");
        }

        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl) && options.PublicBaseUri is null)
        {
            failures.Add($"{HeraldOptions.Section}:{nameof(HeraldOptions.PublicBaseUrl)} must be an absolute http or https URL without query or fragment, " +
                         $"where 'herald serve' is reachable from the internet, such as https://herald.example.com (not '{options.PublicBaseUrl}').");
        }

        failures.AddRange(options.Limits.Problems());
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Reports every problem of <see cref="WorkerOptions"/> at once (<see cref="WorkerOptions.Problems"/>).</summary>
internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options) =>
        options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
