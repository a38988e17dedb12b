using Herald.Scheduling;
using Herald.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Herald.Core.Tests.DependencyInjection;

/// <summary><c>AddHerald</c> binds the Herald-wide and worker settings from the host's configuration by itself.</summary>
public sealed class AddHeraldSettingsTests
{
    [Fact]
    public void AddHerald_WorkerLeaseInHostConfiguration_ReachesTheRunner()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Herald:Workers:LeaseDuration"] = "00:09:00",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddHerald();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetService<WorkerOptions>();

        Assert.Equal(TimeSpan.FromMinutes(9), options?.LeaseDuration);
    }

    [Fact]
    public void AddHerald_BadRootAndWorkerSettings_StartFailsNamingEachKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Herald:MaxRetries"] = "-1",
            ["Herald:Limits:MaxThreadParts"] = "0",
            ["Herald:Workers:LeaseDuration"] = "00:00:30",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddHerald();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<AggregateException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var failures = error.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures).ToList();
        Assert.Contains("Herald:MaxRetries must be 0 or more (not -1).", failures);
        Assert.Contains("Herald:Limits:MaxThreadParts must be positive (it is 0).", failures);
        Assert.Contains(failures, f => f.StartsWith("Herald:Workers:LeaseDuration (00:00:30) must be longer", StringComparison.Ordinal));
    }
}
