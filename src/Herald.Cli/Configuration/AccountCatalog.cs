using Herald.Accounts;
using Herald.Platforms;
using Herald.Sandbox.Hosting;
using Herald.Storage.Accounts;
using Microsoft.Extensions.Configuration;

namespace Herald.Cli.Configuration;

/// <summary>
/// The accounts the CLI takes from its settings: one per platform under <c>Herald:Accounts:{platform}</c>
/// (<see cref="ConfiguredAccount"/>, as the server reads it), or the sandbox's own accounts.
/// </summary>
internal static class AccountCatalog
{
    public static Account FromConfiguration(IConfiguration configuration, PlatformDescriptor platform)
    {
        try
        {
            return ConfiguredAccount.Read(configuration, platform.Id);
        }
        catch (FormatException ex)
        {
            throw new CliInputException(ex.Message);
        }
    }

    /// <summary>
    /// The sandbox's fixed accounts, as stored: marked <c>sandbox=true</c> and without a base URL, because the
    /// sandbox (and its port) belongs to the process that runs the publication, which may be a later
    /// <c>herald work --sandbox</c>. Settings from configuration still apply (a LinkedIn <c>mode</c>, a Dev.to
    /// <c>footer</c>), credentials never do.
    /// </summary>
    public static Account ForSandbox(IConfiguration configuration, PlatformDescriptor platform) =>
        SandboxAccount(platform, "sandbox", FromConfiguration(configuration, platform).Settings, credentials: null, settingsWin: false);

    /// <summary>
    /// A sandbox account named <paramref name="name"/>: the sandbox's own credentials, except those in
    /// <paramref name="credentials"/>, and the sandbox's settings with <paramref name="settings"/> — over them when
    /// <paramref name="settingsWin"/> (given for this account), under them otherwise (configured for a real one).
    /// </summary>
    public static Account SandboxAccount(
        PlatformDescriptor platform, string name, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string>? credentials, bool settingsWin)
    {
        var simulated = SandboxPlatforms.Find(platform.Id)
            ?? throw new CliInputException($"--sandbox: the sandbox does not simulate {platform.DisplayName} yet");
        var merged = new Dictionary<string, string>(settings, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in simulated.Account.Settings)
        {
            if (!settingsWin || !merged.ContainsKey(key))
            {
                merged[key] = value;
            }
        }

        merged[SandboxAccountMarker.Setting] = "true";
        var secrets = new Dictionary<string, string>(simulated.Account.Credentials, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in credentials ?? new Dictionary<string, string>())
        {
            secrets[key] = value;
        }

        return new Account
        {
            Platform = platform.Id,
            DisplayName = name,
            Credentials = new AccountCredentials(secrets),
            Settings = merged,
        };
    }
}
