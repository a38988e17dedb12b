using Herald.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Herald.Core.Tests.DependencyInjection;

public sealed class HeraldSettingsTests
{
    [Fact]
    public void AddHeraldOptions_NoConfigurationRegistered_CodeConfigurationStillApplies()
    {
        var services = new ServiceCollection();
        services.AddHeraldOptions<SampleOptions>("Herald:Sample", o => o.Count = 9);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(9, provider.GetRequiredService<IOptions<SampleOptions>>().Value.Count);
    }

    [Fact]
    public void AddHeraldOptions_ConfigurationAndCode_CodeWinsAndTheRestIsBound()
    {
        using var provider = Build(new() { ["Herald:Sample:Count"] = "4", ["Herald:Sample:Delay"] = "00:00:09" }, o => o.Count = 6);

        var options = provider.GetRequiredService<IOptions<SampleOptions>>().Value;

        Assert.Equal(6, options.Count);
        Assert.Equal(TimeSpan.FromSeconds(9), options.Delay);
    }

    [Fact]
    public void AddHeraldOptions_SeveralUnreadableValues_ReportsEveryOneWithItsKey()
    {
        using var provider = Build(new() { ["Herald:Sample:Count"] = "many", ["Herald:Sample:Delay"] = "soon" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Herald:Sample:Count must be a whole number (not 'many').", error.Failures);
        Assert.Contains("Herald:Sample:Delay must be a duration written hh:mm:ss, such as 00:00:30 (not 'soon').", error.Failures);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<SampleOptions>? configure = null)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddHeraldOptions("Herald:Sample", configure);
        return services.BuildServiceProvider();
    }

    public sealed class SampleOptions
    {
        public int Count { get; set; } = 1;

        public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);
    }
}
