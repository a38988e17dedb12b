using System.Net;
using System.Net.Sockets;
using Herald.Accounts;
using Herald.Platforms.Checks;
using Herald.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Platforms.Tests;

/// <summary>
/// The who-am-I call of every platform (<see cref="AccountChecker"/>) over real HTTP against the sandbox: its fixed
/// accounts work, are named and lack nothing Herald needs; a wrong token is refused; a missing one is refused without a call; an address nobody
/// listens on is unreachable.
/// </summary>
public sealed class AccountCheckTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Check_EverySandboxAccount_WorksAndIsNamed()
    {
        await using var provider = Services();
        var checker = provider.GetRequiredService<AccountChecker>();
        foreach (var platform in SandboxPlatforms.All)
        {
            var result = await checker.CheckAsync(AccountOf(platform.Id, platform.Account.Credentials, platform.Account.Settings));
            Assert.True(result.Verdict == AccountCheckVerdict.Works, $"{platform.Id}: {result}");
            Assert.False(string.IsNullOrEmpty(result.Identity ?? result.IdentityId), $"{platform.Id} named nobody");

            // What the credentials can do: the sandbox's own accounts lack nothing, and each answer says why.
            Assert.True(result.CanDoAll, $"{platform.Id}: {CapabilityText.Summary(result.Capabilities)}");
            Assert.Contains(result.Capabilities, c => c.Capability == AccountCapability.Post);
            Assert.All(result.Capabilities, c => Assert.False(string.IsNullOrWhiteSpace(c.Reason), $"{platform.Id} {c.Capability}"));
            Assert.Empty(result.MissingScopes);
        }
    }

    [Theory]
    [InlineData("devto", "api_key")]
    [InlineData("medium", "access_token")]
    [InlineData("mastodon", "access_token")]
    [InlineData("linkedin", "access_token")]
    [InlineData("threads", "access_token")]
    [InlineData("x", "access_token")]
    public async Task Check_WrongToken_IsRefusedByThePlatform_AndAMissingOneWithoutACall(string platform, string credential)
    {
        await using var provider = Services();
        var checker = provider.GetRequiredService<AccountChecker>();
        var wrong = await checker.CheckAsync(AccountOf(platform, new Dictionary<string, string> { [credential] = "not-a-token" }, new Dictionary<string, string>()));
        Assert.True(wrong.Verdict == AccountCheckVerdict.CredentialsRefused, wrong.ToString());
        Assert.DoesNotContain("not-a-token", wrong.Detail, StringComparison.Ordinal);

        if (platform != "x")
        {
            var before = fixture.Server.Requests.For(platform).Count;
            var missing = await checker.CheckAsync(AccountOf(platform, new Dictionary<string, string>(), new Dictionary<string, string>()));
            Assert.Equal(AccountCheckVerdict.CredentialsRefused, missing.Verdict);
            Assert.Contains(credential, missing.Detail, StringComparison.Ordinal);
            Assert.Equal(before, fixture.Server.Requests.For(platform).Count);
        }
    }

    [Fact]
    public async Task Check_WrongBlueskyPassword_IsRefused_AndAClosedPortIsUnreachable()
    {
        await using var provider = Services();
        var checker = provider.GetRequiredService<AccountChecker>();
        var bluesky = SandboxPlatforms.Find("bluesky")!.Account.Credentials;
        var refused = await checker.CheckAsync(AccountOf("bluesky",
            new Dictionary<string, string> { ["identifier"] = bluesky["identifier"], ["app_password"] = "wrong-wrong-wrong-wrong" }, new Dictionary<string, string>()));
        Assert.True(refused.Verdict == AccountCheckVerdict.CredentialsRefused, refused.ToString());

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var unreachable = await checker.CheckAsync(new Account
        {
            Platform = "devto",
            DisplayName = "nowhere",
            BaseUrl = new Uri($"http://127.0.0.1:{port}/api"),
            Credentials = new AccountCredentials(new Dictionary<string, string> { ["api_key"] = "k" }),
        });
        Assert.True(unreachable.Verdict == AccountCheckVerdict.Unreachable, unreachable.ToString());
    }

    private Account AccountOf(string platform, IReadOnlyDictionary<string, string> credentials, IReadOnlyDictionary<string, string> settings) =>
        AccountCheckHost.AccountOf(fixture, platform, new AccountCredentials(credentials), settings);

    private ServiceProvider Services() => AccountCheckHost.Services(fixture);
}
