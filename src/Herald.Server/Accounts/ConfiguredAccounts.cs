using Herald.Accounts;
using Herald.Platforms;
using Herald.Sandbox.Hosting;

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
            var section = configuration.GetSection($"Herald:Accounts:{adapter.Platform.Id}");
            if (section.Exists())
            {
                yield return new Account
                {
                    Platform = adapter.Platform.Id,
                    DisplayName = section["DisplayName"] ?? "default",
                    BaseUrl = Uri.TryCreate(section["BaseUrl"], UriKind.Absolute, out var baseUrl) ? baseUrl : null,
                    Credentials = new AccountCredentials(Pairs(section.GetSection("Credentials"))),
                    Settings = new Dictionary<string, string>(Pairs(section.GetSection("Settings")), StringComparer.OrdinalIgnoreCase),
                    CreatedAt = now,
                };
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

    private static IEnumerable<KeyValuePair<string, string>> Pairs(IConfigurationSection section) =>
        section.GetChildren().Where(c => c.Value is not null).Select(c => new KeyValuePair<string, string>(c.Key, c.Value!));
}
