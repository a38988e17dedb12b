using System.Globalization;
using System.Text.Json;
using Herald.Storage;
using Microsoft.Extensions.Configuration;

namespace Herald.Cli.Configuration;

/// <summary>
/// Where the CLI reads its settings, later sources winning: <c>~/.config/herald/appsettings.json</c>,
/// <c>./herald.json</c>, the file given with <c>--config</c>, environment variables (<c>Herald__…</c>), and
/// the names the seed used (<c>DEVTO_API_KEY</c>, <c>LINKEDIN_ACCESS_TOKEN</c>, <c>LINKEDIN_AUTHOR_URN</c>,
/// <c>X_ACCESS_TOKEN</c> and the other <c>X_*</c> credentials, <c>X_USERNAME</c>, <c>MEDIUM_ACCESS_TOKEN</c>,
/// <c>MASTODON_ACCESS_TOKEN</c>, <c>MASTODON_BASE_URL</c>, <c>BLUESKY_IDENTIFIER</c>, <c>BLUESKY_APP_PASSWORD</c>,
/// <c>THREADS_ACCESS_TOKEN</c>, <c>THREADS_USER_ID</c>, <c>POSTGRES_DSN</c>).
/// </summary>
internal static class CliConfiguration
{
    /// <summary>
    /// The settings; with <paramref name="sandbox"/> the database is the sandbox's own (<see cref="SandboxDatabase"/>),
    /// so that nothing tried against the sandbox mixes with real publications or reaches real workers, and images given
    /// by URL may come from the sandbox itself (<see cref="SandboxOrigin"/>).
    /// </summary>
    public static IConfigurationRoot Build(FileInfo? configFile, bool sandbox = false)
    {
        var settings = Read(configFile);
        if (!sandbox)
        {
            return settings;
        }

        var overrides = new Dictionary<string, string?> { ["Herald:Database"] = SandboxDatabase(settings) };
        if (SandboxOrigin(settings) is { } origin)
        {
            // Appended after the origins the user allowed, which stay as they are.
            var next = settings.GetSection(AllowedOriginsKey).GetChildren()
                .Select(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i + 1 : 0)
                .DefaultIfEmpty(0).Max();
            overrides[string.Create(CultureInfo.InvariantCulture, $"{AllowedOriginsKey}:{next}")] = origin;
        }

        return new ConfigurationBuilder().AddConfiguration(settings).AddInMemoryCollection(overrides).Build();
    }

    private const string AllowedOriginsKey = "Herald:Media:AllowedOrigins";

    /// <summary>
    /// The standalone sandbox's origin (<c>http://127.0.0.1:5980</c>), which a <c>--sandbox</c> command may fetch images
    /// from although it is a loopback address: that host and port only, not every private address. Null when
    /// <c>Herald:Sandbox:Url</c> is not a URL (the command that needs the sandbox says so).
    /// </summary>
    public static string? SandboxOrigin(IConfiguration configuration)
    {
        try
        {
            return SandboxUrl(configuration).GetLeftPart(UriPartial.Authority);
        }
        catch (CliInputException)
        {
            return null;
        }
    }

    /// <summary>Where the standalone sandbox (<c>herald sandbox</c>) listens: <c>Herald:Sandbox:Url</c>, by default port 5980 on loopback.</summary>
    public static Uri SandboxUrl(IConfiguration configuration)
    {
        var text = configuration["Herald:Sandbox:Url"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return new Uri("http://127.0.0.1:5980/");
        }

        return Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new CliInputException($"Herald:Sandbox:Url: must be an absolute http URL, not '{text}'");
    }

    /// <summary>
    /// The sandbox's database: <c>Herald:SandboxDatabase</c>, else a SQLite file next to the real SQLite database
    /// (<c>herald.db</c> → <c>herald.sandbox.db</c>), else — the real one being PostgreSQL — next to the default SQLite path.
    /// </summary>
    public static string SandboxDatabase(IConfiguration configuration)
    {
        if (configuration["Herald:SandboxDatabase"] is { Length: > 0 } configured)
        {
            return configured;
        }

        return SandboxDatabaseBeside(HeraldDatabase.ResolveConnectionString(configuration));
    }

    /// <summary>The sandbox's database for the real database <paramref name="real"/>.</summary>
    public static string SandboxDatabaseBeside(string real)
    {
        var path = HeraldDatabase.DetectProvider(real) == DatabaseProvider.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(real).DataSource
            : HeraldDatabase.DefaultSqlitePath;
        if (path is "" or ":memory:")
        {
            return real;
        }

        return $"Data Source={Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? "", Path.GetFileNameWithoutExtension(path) + ".sandbox.db")}";
    }

    /// <summary>The user's own settings file, read by every command: <c>$XDG_CONFIG_HOME/herald/appsettings.json</c>.</summary>
    public static string UserSettingsFile
    {
        get
        {
            var configHome = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return Path.Combine(configHome, "herald", "appsettings.json");
        }
    }

    private static IConfigurationRoot Read(FileInfo? configFile)
    {
        var userFile = UserSettingsFile;
        var localFile = Path.Combine(Directory.GetCurrentDirectory(), "herald.json");
        CheckJson("settings", userFile);
        CheckJson("settings", localFile);
        var builder = new ConfigurationBuilder()
            .AddJsonFile(userFile, optional: true)
            .AddJsonFile(localFile, optional: true);
        if (configFile is not null)
        {
            if (Directory.Exists(configFile.FullName))
            {
                throw new CliInputException($"--config: '{configFile.FullName}' is a directory, not a JSON file");
            }

            if (!configFile.Exists)
            {
                throw new CliInputException($"--config: file '{configFile.FullName}' does not exist");
            }

            CheckJson("--config", configFile.FullName);
            builder.AddJsonFile(configFile.FullName, optional: false);
        }

        builder.AddEnvironmentVariables();
        builder.AddInMemoryCollection(SeedEnvironmentNames());
        return builder.Build();
    }

    /// <summary>
    /// Reads <paramref name="path"/> as the configuration's JSON reader does (comments and trailing commas allowed),
    /// so that a mistake is reported with the file and its line, not as "could not parse the JSON file".
    /// </summary>
    private static void CheckJson(string field, string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(
                File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            // JsonException counts lines and positions from 0; editors count from 1.
            var reason = ex.Message.Split([" Path:", " LineNumber:"], 2, StringSplitOptions.None)[0].TrimEnd();
            throw new CliInputException(
                $"{field}: '{path}' is not valid JSON at line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}: {reason}");
        }
    }

    /// <summary>The seed's environment variable names, mapped onto Herald's configuration keys.</summary>
    private static Dictionary<string, string?> SeedEnvironmentNames()
    {
        var map = new Dictionary<string, string?>();
        Map("DEVTO_API_KEY", "Herald:Accounts:devto:Credentials:api_key");
        Map("LINKEDIN_ACCESS_TOKEN", "Herald:Accounts:linkedin:Credentials:access_token");
        Map("LINKEDIN_AUTHOR_URN", "Herald:Accounts:linkedin:Settings:author_urn");
        foreach (var credential in new[] { "access_token", "refresh_token", "client_id", "client_secret", "consumer_key", "consumer_secret", "access_token_secret", "scope" })
        {
            Map("X_" + credential.ToUpperInvariant(), $"Herald:Accounts:x:Credentials:{credential}");
        }

        Map("X_USERNAME", "Herald:Accounts:x:Settings:username");
        Map("MEDIUM_ACCESS_TOKEN", "Herald:Accounts:medium:Credentials:access_token");
        Map("MASTODON_ACCESS_TOKEN", "Herald:Accounts:mastodon:Credentials:access_token");
        Map("MASTODON_BASE_URL", "Herald:Accounts:mastodon:BaseUrl");
        Map("BLUESKY_IDENTIFIER", "Herald:Accounts:bluesky:Credentials:identifier");
        Map("BLUESKY_APP_PASSWORD", "Herald:Accounts:bluesky:Credentials:app_password");

        Map("THREADS_ACCESS_TOKEN", "Herald:Accounts:threads:Credentials:access_token");
        Map("THREADS_USER_ID", "Herald:Accounts:threads:Settings:user_id");
        return map;

        void Map(string variable, string key)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                map[key] = value;
            }
        }
    }
}

/// <summary>Input the CLI refuses before anything is sent; the message names the field and the rule.</summary>
internal sealed class CliInputException(string message) : Exception(message);
