using Spectre.Console;
using Spectre.Console.Rendering;

namespace Herald.Cli.Output;

/// <summary>
/// How <c>herald work</c> shows its progress. At a terminal: a live table (Spectre.Console) of the publications it
/// touched, each line updated as it is sent, and the totals under it. Otherwise — output redirected, <c>NO_COLOR</c>
/// set, or <c>--plain</c> — plain, stable lines: one per finished attempt, and the totals when it stops.
/// </summary>
internal static class WorkDisplay
{
    private const int VisibleRows = 20;

    /// <summary>True when <paramref name="output"/> is the process's terminal and nothing asked for plain output.</summary>
    public static bool IsLive(TextWriter output, bool plain) =>
        !plain && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected &&
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) && Environment.GetEnvironmentVariable("TERM") is not "dumb";

    /// <summary>Redraws the table until <paramref name="running"/> ends; <paramref name="refresh"/> runs before each redraw (it asks the queue for the next due time).</summary>
    public static Task RunLiveAsync(string heading, WorkProgress progress, TimeProvider clock, Task running, Func<Task> refresh)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        return console.Live(Render(heading, progress, clock)).AutoClear(false).StartAsync(async context =>
        {
            while (!running.IsCompleted)
            {
                await refresh();
                context.UpdateTarget(Render(heading, progress, clock));
                await Task.WhenAny(running, Task.Delay(TimeSpan.FromMilliseconds(500)));
            }

            context.UpdateTarget(Render(heading, progress, clock));
        });
    }

    private static IRenderable Render(string heading, WorkProgress progress, TimeProvider clock)
    {
        var table = new Table().Border(TableBorder.Simple).Expand();
        table.AddColumn("ID");
        table.AddColumn("PLATFORM");
        table.AddColumn(new TableColumn("STATE").NoWrap());
        foreach (var row in progress.Latest(VisibleRows))
        {
            var colour = row.Status switch
            {
                Herald.Publications.PublicationStatus.Published => "green",
                Herald.Publications.PublicationStatus.Publishing => "yellow",
                Herald.Publications.PublicationStatus.RetryScheduled or Herald.Publications.PublicationStatus.Scheduled => "darkorange",
                Herald.Publications.PublicationStatus.AwaitingManualAction => "blue",
                _ => "red",
            };
            table.AddRow(new Text(row.Id), new Text(row.Platform), new Markup($"[{colour}]{Markup.Escape(row.Text)}[/]"));
        }

        if (progress.Latest(1).Count == 0)
        {
            table.AddRow(new Text(""), new Text(""), new Markup("[grey]waiting for due publications…[/]"));
        }

        return new Rows(
            new Markup($"[bold]{Markup.Escape(heading)}[/]"),
            table,
            new Markup($"[bold]{Markup.Escape(progress.Summary(clock))}[/]"));
    }
}
