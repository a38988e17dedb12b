using System.Text.Json;
using Herald.Publications;
using Herald.Scheduling;
using Herald.Workers;
using Herald.Workers.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Tests;

/// <summary>How the CLI takes its settings: every bad value reported at start, each service registered once.</summary>
public sealed class CliSettingsTests
{
    [Fact]
    public async Task Status_UnusableSettings_FailsNamingEveryKeyAndRule()
    {
        using var run = new CliRun();
        // The settings file, not environment variables: other tests of this assembly run at the same time.
        await File.WriteAllTextAsync(run.ConfigPath, JsonSerializer.Serialize(new
        {
            Herald = new
            {
                Database = $"Data Source={run.DatabasePath}",
                X = new { Timeout = "-00:00:05" },
                Mastodon = new { InstanceLimitsLifetime = "00:00:00" },
                Workers = new { LeaseDuration = "soon" },
            },
        }));

        var (exitCode, output, error) = await run.InvokeAsync("status");

        Assert.True(exitCode != 0, $"exit {exitCode}\n{output}\n{error}");
        Assert.Contains("Herald:X:Timeout must be", error, StringComparison.Ordinal);
        Assert.Contains("Herald:Mastodon:InstanceLimitsLifetime must be positive", error, StringComparison.Ordinal);
        Assert.Contains("Herald:Workers:LeaseDuration must be a duration", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_CliAndWorkers_RegistersEachPolicyAndWorkerSettingsOnce()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Herald:Database"] = "Data Source=unused.db",
        }).Build();
        var services = new ServiceCollection();

        CliServices.Add(services, configuration, verbose: false);
        services.AddHeraldJobs(configuration);

        Assert.Single(services, d => d.ServiceType == typeof(RetryPolicies));
        Assert.Single(services, d => d.ServiceType == typeof(RateLimitPolicies));
        Assert.Single(services, d => d.ServiceType == typeof(WorkerOptions));
    }

    [Fact]
    public async Task Compose_WorkerLeaseInSettings_ReachesTheInlineRunAndTheWorkers()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Herald:Database"] = "Data Source=unused.db",
            ["Herald:Workers:LeaseDuration"] = "00:07:00",
            ["Herald:Workers:AttemptTimeout"] = "00:02:00",
        }).Build();
        var services = new ServiceCollection();
        CliServices.Add(services, configuration, verbose: false);
        services.AddHeraldJobs(configuration);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<WorkerOptions>();

        Assert.Equal(TimeSpan.FromMinutes(7), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromMinutes(2), options.AttemptTimeout);
    }
}
