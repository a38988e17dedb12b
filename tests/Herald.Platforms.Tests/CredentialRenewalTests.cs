using Herald.Accounts;
using Herald.Platforms.Checks;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Platforms.Tests;

/// <summary>
/// Which accounts Herald renews the access token of by itself (so an expiring token needs no one's attention): X with
/// an OAuth 2.0 refresh token and client id, Bluesky with an app password; no other platform.
/// </summary>
public sealed class CredentialRenewalTests
{
    public static TheoryData<string, string[], bool> Cases => new()
    {
        { "x", ["access_token", "refresh_token", "client_id"], true },
        { "x", ["access_token", "refresh_token"], false },
        { "x", ["access_token"], false },
        { "x", ["consumer_key", "consumer_secret", "access_token", "access_token_secret", "refresh_token", "client_id"], false },
        { "bluesky", ["identifier", "app_password"], true },
        { "bluesky", ["access_jwt", "refresh_jwt", "did"], false },
        { "threads", ["access_token"], false },
        { "linkedin", ["access_token", "refresh_token", "client_id"], false },
        { "mastodon", ["access_token"], false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void CanRenew_ByPlatformAndCredentials(string platform, string[] keys, bool expected)
    {
        using var services = new ServiceCollection().AddHerald().AddEveryPlatform().Services.BuildServiceProvider();
        var account = new Account
        {
            Platform = platform,
            DisplayName = "renewal",
            Credentials = new AccountCredentials(keys.Select(k => KeyValuePair.Create(k, $"{k}-value"))),
        };

        Assert.Equal(expected, CredentialRenewal.CanRenew(services.GetRequiredService<PlatformRegistry>(), account));
    }

    [Fact]
    public void CanRenew_UnreadableCredentials_IsFalse()
    {
        using var services = new ServiceCollection().AddHerald().AddEveryPlatform().Services.BuildServiceProvider();
        var account = new Account { Platform = "bluesky", DisplayName = "unreadable", Credentials = AccountCredentials.Unreadable("another key") };

        Assert.False(CredentialRenewal.CanRenew(services.GetRequiredService<PlatformRegistry>(), account));
    }
}
