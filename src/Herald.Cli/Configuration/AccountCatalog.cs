using Herald.Accounts;
using Herald.Platforms;
using Herald.Sandbox.Hosting;
using Microsoft.Extensions.Configuration;

namespace Herald.Cli.Configuration;

/// <summary>
/// The accounts the CLI publishes with: one per platform, from <c>Herald:Accounts:{platform}</c>
/// (<c>Credentials</c>, <c>Settings</c>, <c>BaseUrl</c>, <c>DisplayName</c>), or the sandbox's own accounts.
/// </summary>
internal static class AccountCatalog
{
    public static Account FromConfiguration(IConfiguration configuration, PlatformDescriptor platform)
    {
        var section = configuration.GetSection($"Herald:Accounts:{platform.Id}");
        var baseUrl = section["BaseUrl"];
        Uri? parsedBaseUrl = null;
        if (!string.IsNullOrWhiteSpace(baseUrl) && !Uri.TryCreate(baseUrl, UriKind.Absolute, out parsedBaseUrl))
        {
            throw new CliInputException($"Herald:Accounts:{platform.Id}:BaseUrl: must be an absolute URL, not '{baseUrl}'");
        }

        return new Account
        {
            Platform = platform.Id,
            DisplayName = section["DisplayName"] ?? "default",
            BaseUrl = parsedBaseUrl,
            Credentials = new AccountCredentials(Pairs(section.GetSection("Credentials"))),
            Settings = new Dictionary<string, string>(Pairs(section.GetSection("Settings")), StringComparer.OrdinalIgnoreCase),
        };
    }

    /// <summary>
    /// The sandbox's fixed accounts, as stored: marked <c>sandbox=true</c> and without a base URL, because the
    /// sandbox (and its port) belongs to the process that runs the publication, which may be a later
    /// <c>herald work --sandbox</c>. Settings from configuration still apply (a LinkedIn <c>mode</c>, a Dev.to
    /// <c>footer</c>), credentials never do.
    /// </summary>
    public static Account ForSandbox(IConfiguration configuration, PlatformDescriptor platform)
    {
        var simulated = SandboxPlatforms.Find(platform.Id)
            ?? throw new CliInputException($"--sandbox: the sandbox does not simulate {platform.DisplayName} yet");
        var configured = FromConfiguration(configuration, platform);
        var settings = new Dictionary<string, string>(configured.Settings, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in simulated.Account.Settings)
        {
            settings[name] = value;
        }

        settings[SandboxAccountMarker.Setting] = "true";
        return new Account
        {
            Platform = platform.Id,
            DisplayName = "sandbox",
            Credentials = new AccountCredentials(simulated.Account.Credentials),
            Settings = settings,
        };
    }

    private static IEnumerable<KeyValuePair<string, string>> Pairs(IConfigurationSection section) =>
        section.GetChildren().Where(c => c.Value is not null).Select(c => new KeyValuePair<string, string>(c.Key, c.Value!));
}
