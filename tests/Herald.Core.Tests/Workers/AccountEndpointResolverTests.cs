using Herald.Accounts;
using Herald.Workers;

namespace Herald.Core.Tests.Workers;

public sealed class AccountEndpointResolverTests
{
    private static Account SandboxAccount(Uri? baseUrl = null) => new()
    {
        Platform = "bluesky",
        DisplayName = "sandbox",
        BaseUrl = baseUrl,
        Settings = new Dictionary<string, string> { [Account.HostEndpointSetting] = "true" },
    };

    /// <summary>
    /// Regression (cold review of the sandbox marker's move out of Core): the library's default resolver passed every
    /// account through, so a host other than the CLI that shared the database would have sent a sandbox account's
    /// credentials and content to the platform's public address. It fails closed now.
    /// </summary>
    [Fact]
    public void Resolve_AccountWhoseEndpointOnlyItsHostKnows_IsRefusedNotSentToThePublicAddress()
    {
        var resolver = new DefaultAccountEndpointResolver();

        Assert.Null(resolver.Resolve(SandboxAccount(), out var reason));
        Assert.Contains("endpoint is supplied by the host", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_RealAccountOrOneWithItsEndpointStored_IsCalledAsStored()
    {
        var resolver = new DefaultAccountEndpointResolver();
        var real = new Account { Platform = "bluesky", DisplayName = "real" };
        var pointed = SandboxAccount(new Uri("http://127.0.0.1:5000/bluesky"));

        Assert.Same(real, resolver.Resolve(real, out var none));
        Assert.Null(none);
        Assert.Same(pointed, resolver.Resolve(pointed, out _));
    }
}
