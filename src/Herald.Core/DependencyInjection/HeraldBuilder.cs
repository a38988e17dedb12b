using Microsoft.Extensions.DependencyInjection;

namespace Herald.DependencyInjection;

/// <summary>Returned by <c>AddHerald</c>; platform packages hang their <c>Add&lt;Platform&gt;()</c> extensions on it.</summary>
public sealed class HeraldBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;

    /// <summary>
    /// Binds a platform's options from its section (<c>Herald:&lt;Platform&gt;</c>), then applies
    /// <paramref name="configure"/>, and validates them when the host starts (see
    /// <see cref="HeraldSettings.AddHeraldOptions{TOptions}"/>). Every <c>Add&lt;Platform&gt;()</c> calls it for its own section.
    /// </summary>
    public HeraldBuilder AddPlatformOptions<TOptions>(string sectionPath, Action<TOptions>? configure)
        where TOptions : class
    {
        Services.AddHeraldOptions(sectionPath, configure);
        return this;
    }
}
