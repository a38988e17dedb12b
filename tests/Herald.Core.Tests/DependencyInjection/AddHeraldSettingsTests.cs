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
            ["Herald:Workers:HeldBatchSize"] = "0",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddHerald();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<AggregateException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var failures = error.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures).ToList();
        Assert.Contains("Herald:MaxRetries must be 0 or more (not -1).", failures);
        Assert.Contains("Herald:Limits:MaxThreadParts must be positive (it is 0).", failures);
        Assert.Contains(failures, f => f.StartsWith("Herald:Workers:LeaseDuration (00:00:30) must be longer", StringComparison.Ordinal));
        Assert.Contains("Herald:Workers:HeldBatchSize must be between 1 and 10,000 (it is 0).", failures);
    }

    [Theory]
    [InlineData("herald.example.com")]
    [InlineData("ftp://herald.example.com")]
    [InlineData("https://herald.example.com/?x=1")]
    public void AddHerald_PublicBaseUrlNotAnHttpUrl_StartFailsNamingTheSetting(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Herald:PublicBaseUrl"] = value }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddHerald();
        using var provider = services.BuildServiceProvider();

        // One failing option is thrown as it is; several come together.
        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var failures = error is AggregateException all ? all.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures) : ((OptionsValidationException)error).Failures;
        var failure = Assert.Single(failures);
        Assert.StartsWith("Herald:PublicBaseUrl must be an absolute http or https URL", failure, StringComparison.Ordinal);
        Assert.Contains($"(not '{value}')", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://herald.example.com", "https://herald.example.com/")]
    [InlineData("http://127.0.0.1:5000/herald/", "http://127.0.0.1:5000/herald/")]
    public void AddHerald_PublicBaseUrl_IsReadAsABaseEndingInASlash(string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Herald:PublicBaseUrl"] = value }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddHerald();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(new Uri(expected), provider.GetRequiredService<IOptions<Herald.DependencyInjection.HeraldOptions>>().Value.PublicBaseUri);
    }
}
