using Herald.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Platforms.Tests;

/// <summary>
/// A worker's warm-up renders one sample post for every platform Herald ships, so that the first batch after a start
/// finds each formatter compiled: none may need an account setting to render it.
/// </summary>
public sealed class WarmUpRenderTests
{
    [Fact]
    public void RenderForEachPlatform_EveryShippedPlatform_RendersTheSample()
    {
        using var services = new ServiceCollection().AddHerald().AddEveryPlatform().Services.BuildServiceProvider();
        var registry = services.GetRequiredService<PlatformRegistry>();

        var rendered = WorkerWarmUp.RenderForEachPlatform(registry);

        Assert.Superset(
            new HashSet<string> { "devto", "linkedin", "x", "threads", "medium", "mastodon", "bluesky" },
            registry.Adapters.Select(adapter => adapter.Platform.Id).ToHashSet());
        Assert.Equal(registry.Adapters.Count, rendered);
    }
}
