using Herald.Accounts;
using Herald.Platforms.Checks;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Platforms.Tests;

/// <summary>What the account-check tests share: every platform's adapter with an <see cref="AccountChecker"/>, and accounts on the sandbox.</summary>
internal static class AccountCheckHost
{
    public static ServiceProvider Services(SandboxFixture fixture)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fixture.Clock);
        services.AddHerald().AddEveryPlatform();
        services.AddSingleton<AccountChecker>();
        return services.BuildServiceProvider();
    }

    /// <summary>An account of <paramref name="platform"/> on the sandbox, with a name of its own.</summary>
    public static Account AccountOf(
        SandboxFixture fixture, string platform, AccountCredentials credentials, IReadOnlyDictionary<string, string>? settings = null) => new()
        {
            Platform = platform,
            DisplayName = $"check {Guid.NewGuid():N}",
            BaseUrl = fixture.Server.PlatformBaseUrl(platform),
            Credentials = credentials,
            Settings = new Dictionary<string, string>(settings ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase),
        };
}
