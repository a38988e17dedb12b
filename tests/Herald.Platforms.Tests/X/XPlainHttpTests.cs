using Herald.Accounts;
using Herald.Contents;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Platforms.Tests.X;

/// <summary>Credentials travel over https only; plain http is for the sandbox on this machine.</summary>
public sealed class XPlainHttpTests
{
    [Fact]
    public async Task Publish_PlainHttpBaseUrlOnAnotherHost_IsRefusedBeforeTheTokenIsSent()
    {
        // Regression: an http:// base URL was accepted, so the bearer token crossed the network in clear text.
        await using var services = new ServiceCollection().AddHerald().AddX().Services.BuildServiceProvider();
        var adapter = services.GetRequiredService<PlatformRegistry>().Resolve("x");
        var account = new Account
        {
            Platform = "x",
            DisplayName = "plain-http",
            BaseUrl = new Uri("http://api.x.example.invalid"),
            Credentials = new AccountCredentials { ["access_token"] = "token-that-must-stay-secret" },
            Settings = new Dictionary<string, string> { ["username"] = "herald" },
        };

        var outcome = await adapter.PublishAsync(new PublishRequest(new Content { Type = ContentType.Post, Body = "Over http?" }, account, "plain-http"));

        Assert.Equal(PublishOutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("https", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("token-that-must-stay-secret", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_PlainHttpApiBaseUrl_IsRefusedButThePublicWebAddressMayBeHttp()
    {
        var services = new ServiceCollection();
        services.AddHerald().AddX(o =>
        {
            o.DefaultBaseUrl = new Uri("http://api.x.com");
            o.WebBaseUrl = new Uri("http://x.example.com");
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<PlatformRegistry>());

        var failure = Assert.Single(error.Failures);
        Assert.Contains("Herald:X:DefaultBaseUrl must be an https URL", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://api.x.com", false)]
    [InlineData("https://api.x.com", true)]
    [InlineData("http://127.0.0.1:5980/x", true)]
    [InlineData("http://localhost:5980/x", true)]
    [InlineData("http://[::1]:5980/x", true)]
    public void IsCredentialSafe_PlainHttpOnlyOnLoopback(string url, bool expected) =>
        Assert.Equal(expected, Herald.Platforms.Http.PlatformHttp.IsCredentialSafe(new Uri(url)));
}
