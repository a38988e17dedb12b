using Herald.Cli.Configuration;
using Herald.Platforms;
using Herald.Sandbox.Hosting;
using Herald.Scheduling;
using Herald.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Tests;

/// <summary>
/// <c>--sandbox</c> takes each platform's fixed account from the sandbox's own description of that platform, not
/// from a list in the CLI, so a platform added to Herald and to the sandbox needs no CLI change.
/// </summary>
public sealed class SandboxAccountsTests
{
    private static readonly IConfiguration Empty = new ConfigurationBuilder().Build();

    [Fact]
    public void ForSandbox_EveryPlatformTheCliPublishesTo_UsesTheSandboxPlatformsOwnAccount()
    {
        using var services = CliServices.Build(Empty, verbose: false);
        var registry = services.GetRequiredService<PlatformRegistry>();

        Assert.NotEmpty(registry.Adapters);
        Assert.All(registry.Adapters, adapter =>
        {
            var simulated = SandboxPlatforms.Find(adapter.Platform.Id);
            Assert.True(simulated is not null, $"{adapter.Platform.Id}: the sandbox does not simulate it");

            var account = AccountCatalog.ForSandbox(Empty, adapter.Platform);

            Assert.Equal(
                simulated.Account.Credentials.OrderBy(p => p.Key),
                account.Credentials.OrderBy(p => p.Key));
            Assert.All(simulated.Account.Settings, setting => Assert.Equal(setting.Value, account.Settings[setting.Key]));
            Assert.True(SandboxAccountMarker.IsSandbox(account), adapter.Platform.Id);
            Assert.Null(account.BaseUrl);
        });
    }

    [Fact]
    public void ForSandbox_ConfiguredSettingsStay_ButTheSandboxsOwnSettingsWin()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Herald:Accounts:linkedin:Settings:mode"] = "api",
            ["Herald:Accounts:linkedin:Settings:author_urn"] = "urn:li:person:someone-real",
            ["Herald:Accounts:linkedin:Credentials:access_token"] = "a-real-token",
        }).Build();
        using var services = CliServices.Build(Empty, verbose: false);
        var linkedIn = services.GetRequiredService<PlatformRegistry>().Resolve("linkedin").Platform;

        var account = AccountCatalog.ForSandbox(configuration, linkedIn);

        Assert.Equal("api", account.Settings["mode"]);
        Assert.Equal(SandboxPlatforms.Find("linkedin")!.Account.Settings["author_urn"], account.Settings["author_urn"]);
        Assert.DoesNotContain(account.Credentials, pair => pair.Value == "a-real-token");
    }

    [Fact]
    public void EndpointResolver_OfTheCliWithoutASandbox_RefusesSandboxAccountsAndSaysHowToRunThem()
    {
        // Moved out of Herald.Core: the library passes accounts through; the CLI, which stores sandbox accounts
        // without an endpoint, refuses them when no sandbox runs, so they never reach a platform's real address.
        using var services = CliServices.Build(Empty, verbose: false);
        var resolver = services.GetRequiredService<IAccountEndpointResolver>();
        var registry = services.GetRequiredService<PlatformRegistry>();
        var sandboxAccount = AccountCatalog.ForSandbox(Empty, registry.Adapters.First(a => a.Platform.Id == "mastodon").Platform);
        var realAccount = new Herald.Accounts.Account { Platform = "mastodon", DisplayName = "real" };

        Assert.Null(resolver.Resolve(sandboxAccount, out var reason));
        Assert.Contains("`herald work --sandbox`", reason, StringComparison.Ordinal);
        Assert.Same(realAccount, resolver.Resolve(realAccount, out var none));
        Assert.Null(none);
    }
}
