using Microsoft.Extensions.DependencyInjection;

namespace Herald.DependencyInjection;

/// <summary>Returned by <c>AddHerald</c>; platform packages hang their <c>Add&lt;Platform&gt;()</c> extensions on it.</summary>
public sealed class HeraldBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;
}
