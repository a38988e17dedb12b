using System.CommandLine;

namespace Herald.Cli.Commands;

/// <summary>Options every command that touches accounts or the database takes.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo?> Config { get; } = new("--config")
    {
        Description = "A JSON settings file (Herald:Database, Herald:Accounts:…); overrides ~/.config/herald/appsettings.json and ./herald.json.",
    };

    /// <summary>For commands that only read or change stored publications: the sandbox's database instead of the real one.</summary>
    public static Option<bool> Sandbox { get; } = new("--sandbox")
    {
        Description = "The sandbox's own database (what `post --sandbox` stored), never the real one.",
    };

    public static Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Log what Herald does (never credentials)." };
}
