using Herald.Accounts;
using Microsoft.Extensions.Configuration;

namespace Herald.Storage.Accounts;

/// <summary>
/// An account configured under <c>Herald:Accounts:{platform}</c> (<c>Credentials</c>, <c>Settings</c>, <c>BaseUrl</c>,
/// <c>DisplayName</c>, by default <c>default</c>): how the server and the <c>herald</c> command both read one.
/// </summary>
public static class ConfiguredAccount
{
    public static string SectionPath(string platform) => $"Herald:Accounts:{platform}";

    public static bool Exists(IConfiguration configuration, string platform)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(SectionPath(platform)).Exists();
    }

    /// <summary>
    /// The account configured for <paramref name="platform"/> (an account without credentials when nothing is);
    /// a base URL that is not absolute is refused with <see cref="FormatException"/> naming the key.
    /// </summary>
    public static Account Read(IConfiguration configuration, string platform, DateTimeOffset createdAt = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionPath(platform));
        var baseUrl = section["BaseUrl"];
        Uri? parsedBaseUrl = null;
        if (!string.IsNullOrWhiteSpace(baseUrl) && !Uri.TryCreate(baseUrl, UriKind.Absolute, out parsedBaseUrl))
        {
            throw new FormatException($"{SectionPath(platform)}:BaseUrl: must be an absolute URL, not '{baseUrl}'");
        }

        return new Account
        {
            Platform = platform,
            DisplayName = section["DisplayName"] ?? "default",
            BaseUrl = parsedBaseUrl,
            Credentials = new AccountCredentials(Pairs(section.GetSection("Credentials"))),
            Settings = new Dictionary<string, string>(Pairs(section.GetSection("Settings")), StringComparer.OrdinalIgnoreCase),
            CreatedAt = createdAt,
        };
    }

    private static IEnumerable<KeyValuePair<string, string>> Pairs(IConfigurationSection section) =>
        section.GetChildren().Where(c => c.Value is not null).Select(c => new KeyValuePair<string, string>(c.Key, c.Value!));
}
