using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Herald.DependencyInjection;

/// <summary>
/// The one way Herald's registrations bind an options type to its configuration section: the host's
/// <see cref="IConfiguration"/> first, then the caller's code, then every rule checked when the host starts.
/// </summary>
public static class HeraldSettings
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from <paramref name="sectionPath"/> (such as <c>Herald:X</c>) of the
    /// configuration Herald reads — the one given to <c>AddHeraldJobs</c>, else the host's <see cref="IConfiguration"/>,
    /// else none (library use: only code configures) — then applies <paramref name="configure"/>, and validates on
    /// start with every <see cref="IValidateOptions{TOptions}"/> registered. A value the binder cannot convert fails
    /// the start too, every such value named with its full key. Binding is registered once per options type, however
    /// often this is called; each call's <paramref name="configure"/> runs after it, in call order.
    /// </summary>
    public static OptionsBuilder<TOptions> AddHeraldOptions<TOptions>(
        this IServiceCollection services, string sectionPath, Action<TOptions>? configure = null)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(sectionPath);
        var options = services.AddOptions<TOptions>();
        var section = new HeraldSettingsSection(sectionPath, typeof(TOptions));
        if (!services.Any(d => d.ServiceType == typeof(HeraldSettingsSection) && Equals(d.ImplementationInstance, section)))
        {
            services.AddSingleton(section);
            // The binding comes before any code configuration, so code wins over files and environment.
            options.Configure<IServiceProvider>((o, sp) => Bind(o, ConfigurationOf(sp), sectionPath));
            options.ValidateOnStart();
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return options;
    }

    /// <summary>The configuration Herald reads its settings from, or null when the host has none.</summary>
    internal static IConfiguration? ConfigurationOf(IServiceProvider services) =>
        services.GetService<HeraldSettingsSource>()?.Configuration ?? services.GetService<IConfiguration>();

    /// <summary>Makes <paramref name="configuration"/> the one Herald reads, over the host's own (the first one given wins).</summary>
    internal static void UseConfiguration(IServiceCollection services, IConfiguration configuration) =>
        services.TryAddSingleton(new HeraldSettingsSource(configuration));

    private static void Bind<TOptions>(TOptions options, IConfiguration? configuration, string sectionPath)
        where TOptions : class
    {
        if (configuration is null)
        {
            return;
        }

        var section = configuration.GetSection(sectionPath);
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException first)
        {
            // The binder stops at the first value it cannot convert; look at each setting so all are reported at once.
            var failures = ConversionFailures(section, typeof(TOptions));
            throw new OptionsValidationException(sectionPath, typeof(TOptions), failures.Count > 0 ? failures : [first.Message]);
        }
    }

    private static List<string> ConversionFailures(IConfigurationSection section, Type optionsType)
    {
        var failures = new List<string>();
        foreach (var property in optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var child = section.GetSection(property.Name);
            if (!child.Exists())
            {
                continue;
            }

            try
            {
                _ = child.Get(property.PropertyType);
            }
            catch (InvalidOperationException ex)
            {
                failures.Add(child.Value is null ? ex.Message : $"{child.Path} must be {Describe(property.PropertyType)} (not '{child.Value}').");
            }
        }

        return failures;
    }

    private static string Describe(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying switch
        {
            _ when underlying == typeof(TimeSpan) => "a duration written hh:mm:ss, such as 00:00:30",
            _ when underlying == typeof(int) || underlying == typeof(long) => "a whole number",
            _ when underlying == typeof(bool) => "true or false",
            _ when underlying == typeof(Uri) => "an absolute URL, such as https://example.org",
            _ => $"a {underlying.Name}",
        };
    }
}

/// <summary>One configuration section Herald binds, and the options type it lands in (hosts and tests may list them).</summary>
/// <param name="Path">The section's full key, such as <c>Herald:X</c>.</param>
/// <param name="OptionsType">The options type bound from it, resolved as <c>IOptions&lt;OptionsType&gt;</c>.</param>
public sealed record HeraldSettingsSection(string Path, Type OptionsType);

/// <summary>The configuration a host gave Herald explicitly (<c>AddHeraldJobs(configuration)</c>).</summary>
internal sealed record HeraldSettingsSource(IConfiguration Configuration);
