using System.CommandLine;
using Herald.Cli.Commands;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Microsoft.Extensions.Options;

namespace Herald.Cli;

/// <summary>The <c>herald</c> command: its sub-commands and how they are invoked.</summary>
public static class HeraldCommandLine
{
    /// <summary>Exit code when every target succeeded.</summary>
    public const int Ok = 0;

    /// <summary>Exit code when at least one target failed.</summary>
    public const int TargetFailed = 1;

    /// <summary>Exit code for input Herald refuses: nothing was sent.</summary>
    public const int BadInput = 2;

    public static RootCommand Build(TextWriter output, TextWriter error) => Build(output, error, prompt: null);

    /// <summary>The command tree; <paramref name="prompt"/> asks questions at a terminal (the console's, unless a test gives its own).</summary>
    internal static RootCommand Build(TextWriter output, TextWriter error, Accounts.IPrompt? prompt)
    {
        prompt ??= Accounts.ConsolePrompt.Instance;
        var root = new RootCommand("Herald: write once, publish everywhere — Dev.to, LinkedIn and more, now or on schedule.");
        root.Add(PostCommand.Create(output, error));
        root.Add(PostedCommand.Create(output, error));
        root.Add(PreviewCommand.Create(output, error));
        root.Add(StatusCommand.Create(output, error));
        root.Add(ChangeCommands.Cancel(output, error));
        root.Add(ChangeCommands.Retry(output, error));
        root.Add(ChangeCommands.Reschedule(output, error));
        root.Add(WorkCommand.Create(output, error));
        root.Add(SandboxCommand.Create(output, error));
        root.Add(ServeCommand.Create(output, error));
        root.Add(KeysCommand.Create(output, error));
        root.Add(UsersCommand.Create(output, error, Console.In));
        root.Add(InitCommand.Create(output, error, prompt));
        root.Add(DoctorCommand.Create(output, error));
        root.Add(AccountsCommand.Create(output, error, prompt));
        return root;
    }

    /// <summary>"herald post" for the post command: the root's own name is the process's, which is not always herald.</summary>
    private static string CommandPath(System.CommandLine.Parsing.CommandResult command)
    {
        var names = new List<string>();
        for (System.CommandLine.Parsing.SymbolResult? at = command; at is System.CommandLine.Parsing.CommandResult { Command: not RootCommand } sub; at = at.Parent)
        {
            names.Insert(0, sub.Command.Name);
        }

        names.Insert(0, "herald");
        return string.Join(' ', names);
    }

    public static Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        InvokeAsync(args, output, error, prompt: null, cancellationToken);

    internal static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, Accounts.IPrompt? prompt, CancellationToken cancellationToken = default)
    {
        var root = Build(output, error, prompt);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0 && parseResult.Action is not System.CommandLine.Help.HelpAction)
        {
            // Refused input like any other (exit 2, one line each), not System.CommandLine's exit 1 with the whole help.
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}");
            }

            await error.WriteLineAsync($"See `{CommandPath(parseResult.CommandResult)} --help`.");
            return BadInput;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Herald reports failures itself (below), as one line without a stack trace.
            EnableDefaultExceptionHandler = false,
            // Ctrl+C lets `herald work` finish what it is sending: an attempt is bounded by Workers:AttemptTimeout, and
            // the host waits WorkerOptions.ShutdownTimeout (attempt timeout + 30 s) for it; this waits a little longer.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(100),
        };
        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("Stopped.");
            return TargetFailed;
        }
        catch (Exception ex) when (ex is CliInputException or OptionsValidationException)
        {
            // Configuration Herald refuses (a setting out of range, a file it cannot read): the input, not the machine.
            await error.WriteLineAsync($"error: {CliMessage.Of(ex)}");
            return BadInput;
        }
        catch (Exception ex)
        {
            // Not the user's input (each command reports that with exit 2): the database, the network, a bug.
            // The message only, sanitised; the details are in the log with --verbose.
            await error.WriteLineAsync($"error: {Herald.Engine.ErrorSanitizer.Sanitize(CliMessage.Of(ex))}");
            return TargetFailed;
        }
    }
}
