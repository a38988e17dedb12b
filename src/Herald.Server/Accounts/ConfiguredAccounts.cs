using Herald.Accounts;
using Herald.Platforms;
using Herald.Sandbox.Hosting;
using Herald.Storage.Accounts;

namespace Herald.Server.Accounts;

/// <summary>
/// The accounts a server offers besides those created through the API: one per platform configured under
/// <c>Herald:Accounts:{platform}</c> (as the CLI reads them), and with <c>--sandbox</c> the sandbox's fixed accounts.
/// They are stored (upserted by platform and display name) when the server starts.
/// </summary>
internal static class ConfiguredAccounts
{
    public static IEnumerable<Account> From(IConfiguration configuration, PlatformRegistry registry, bool sandbox, DateTimeOffset now)
    {
        foreach (var adapter in registry.Adapters)
        {
            if (ConfiguredAccount.Exists(configuration, adapter.Platform.Id))
            {
                yield return ConfiguredAccount.Read(configuration, adapter.Platform.Id, now);
            }

            if (sandbox && SandboxPlatforms.Find(adapter.Platform.Id) is { } simulated)
            {
                var settings = new Dictionary<string, string>(simulated.Account.Settings, StringComparer.OrdinalIgnoreCase)
                {
                    [Account.HostEndpointSetting] = "true",
                };
                yield return new Account
                {
                    Platform = adapter.Platform.Id,
                    DisplayName = "sandbox",
                    Credentials = new AccountCredentials(simulated.Account.Credentials),
                    Settings = settings,
                    CreatedAt = now,
                };
            }
        }
    }
}
