using System.CommandLine;
using Herald.Cli.Commands;

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

    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Herald: write once, publish everywhere — Dev.to, LinkedIn and more, now or on schedule.");
        root.Add(PostCommand.Create(output, error));
        root.Add(PostedCommand.Create(output, error));
        root.Add(PreviewCommand.Create(output, error));
        root.Add(StatusCommand.Create(output, error));
        root.Add(ChangeCommands.Cancel(output, error));
        root.Add(ChangeCommands.Retry(output, error));
        root.Add(WorkCommand.Create(output, error));
        root.Add(SandboxCommand.Create(output, error));
        root.Add(ServeCommand.Create(output, error));
        root.Add(KeysCommand.Create(output, error));
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = Build(output, error);
        var parseResult = root.Parse(args);
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
        catch (Exception ex)
        {
            // Not the user's input (each command reports that with exit 2): the database, the network, a bug.
            // The message only, sanitised; the details are in the log with --verbose.
            await error.WriteLineAsync($"error: {Herald.Engine.ErrorSanitizer.Sanitize(ex.Message)}");
            return TargetFailed;
        }
    }
}
