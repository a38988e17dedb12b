using System.CommandLine;
using System.Text.Json;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Storage;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald init [--path FILE] [--database CONNECTION] [--force]</c>: writes a commented settings file and says
/// where the database and the credential key live. At a terminal it asks for what the flags did not give, each
/// question with its default (Enter keeps it); otherwise it takes the flags and the defaults.
/// </summary>
internal static class InitCommand
{
    public static Command Create(TextWriter output, TextWriter error, Accounts.IPrompt prompt)
    {
        var path = new Option<FileInfo?>("--path") { Description = "Where to write the settings (default ~/.config/herald/appsettings.json, which every command reads)." };
        var database = new Option<string?>("--database") { Description = "The database: a SQLite file or connection string, or PostgreSQL (\"Host=…;Database=…\", postgres://…). Default: the SQLite file under ~/.local/share/herald." };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing settings file." };
        var command = new Command("init", "Write a commented settings file and show where the database and the credential key live.") { path, database, force };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var reporter = new Reporter(output, error);
            try
            {
                var ask = prompt.Interactive;
                var file = parse.GetValue(path)?.FullName
                    ?? (ask ? Path.GetFullPath(prompt.Ask("Settings file", CliConfiguration.UserSettingsFile)) : CliConfiguration.UserSettingsFile);
                if (Directory.Exists(file))
                {
                    throw new CliInputException($"--path: '{file}' is a directory, not a JSON file");
                }

                var overwrite = parse.GetValue(force) || (File.Exists(file) && ask &&
                    prompt.Ask($"{file} exists. Overwrite it? (y/N)", "n").StartsWith('y'));
                if (File.Exists(file) && !overwrite)
                {
                    throw new CliInputException($"--path: '{file}' exists; add --force to overwrite it, or edit it");
                }

                var defaultDatabase = $"Data Source={HeraldDatabase.DefaultSqlitePath}";
                var connection = HeraldDatabase.Normalize(parse.GetValue(database)
                    ?? (ask ? prompt.Ask("Database (a SQLite file, or PostgreSQL: Host=…;Database=…)", defaultDatabase) : defaultDatabase));
                var provider = HeraldDatabase.DetectProvider(connection);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await File.WriteAllTextAsync(file, Template(connection), cancellationToken);

                reporter.Line($"✓ Wrote {file}");
                reporter.Line($"  Database        {HeraldDatabase.Describe(connection)} ({provider}; created and migrated on first use)");
                reporter.Line(provider == DatabaseProvider.Sqlite
                    ? $"  Credential key  {Path.Combine(Path.GetDirectoryName(Path.GetFullPath(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection).DataSource))!, "herald.key")} (created on first use, readable by you only)"
                    : "  Credential key  set Herald:CredentialKey or HERALD_CREDENTIAL_KEY (base64 of 32 random bytes: `openssl rand -base64 32`); PostgreSQL needs one");
                reporter.Line($"  Sandbox         {CliConfiguration.SandboxDatabaseBeside(connection)} (for --sandbox)");
                reporter.Line("Next: `herald accounts add PLATFORM:NAME` stores an account (or add its credentials to the file; docs/platforms.md says where to get them), " +
                    "then run `herald doctor`. Try everything first with --sandbox.");
                return HeraldCommandLine.Ok;
            }
            catch (Exception ex) when (ex is CliInputException or InvalidOperationException)
            {
                reporter.Error(ex);
                return HeraldCommandLine.BadInput;
            }
        });
        return command;
    }

    /// <summary>The settings file: JSON with comments, which Herald's configuration reader accepts.</summary>
    private static string Template(string connection) => $$"""
        // Herald's settings. Later sources win: this file, ./herald.json, --config FILE, environment variables
        // (Herald__Accounts__devto__Credentials__api_key). Every setting: README.md, Configuration.
        {
          "Herald": {
            // A SQLite file (the default) or PostgreSQL ("Host=…;Database=…;Username=…;Password=…").
            "Database": {{JsonSerializer.Serialize(connection)}},

            // One account per platform; remove the ones you do not use. docs/platforms.md: where to get each credential.
            "Accounts": {
              // "devto": { "Credentials": { "api_key": "…" } },
              // "mastodon": { "BaseUrl": "https://mastodon.social", "Credentials": { "access_token": "…" } },
              // "bluesky": { "Credentials": { "identifier": "you.bsky.social", "app_password": "…" } },
              // "linkedin": { "Settings": { "mode": "manual" } }
            }
          }
        }

        """;
}
