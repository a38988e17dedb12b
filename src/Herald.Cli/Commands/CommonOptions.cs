using System.CommandLine;

namespace Herald.Cli.Commands;

/// <summary>Options every command that touches accounts or the database takes.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo?> Config { get; } = new("--config")
    {
        Description = "A JSON settings file (Herald:Database, Herald:Accounts:…); overrides ~/.config/herald/appsettings.json and ./herald.json.",
    };

    public static Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Log what Herald does (never credentials)." };
}
