using System.CommandLine;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Publications;
using Herald.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald cancel ID</c>, <c>herald retry ID</c> and <c>herald reschedule ID --at TIME</c>: change one
/// publication's status through the scheduler.
/// </summary>
internal static class ChangeCommands
{
    public static Command Cancel(TextWriter output, TextWriter error) => Create(
        new Command("cancel", "Cancel a publication that has not been sent (Scheduled, RetryScheduled or AwaitingManualAction)."), output, error,
        (_, _) => null,
        (scheduler, id, _, ct) => scheduler.CancelAsync(id, ct), _ => "cancelled");

    public static Command Retry(TextWriter output, TextWriter error) => Create(
        new Command("retry", "Try a Failed, NeedsReview or RetryScheduled publication again now, with its retries reset."), output, error,
        (_, _) => null,
        (scheduler, id, _, ct) => scheduler.RetryNowAsync(id, ct), _ => "due now; `herald work` sends it");

    public static Command Reschedule(TextWriter output, TextWriter error)
    {
        var at = new Option<string>("--at")
        {
            Description = "The new time: \"2026-12-01 09:00 Europe/Berlin\", an ISO 8601 time with offset, \"+2h\", \"+1d3h\" or \"now\".",
            Required = true,
        };
        var command = new Command("reschedule", "Move a waiting, failed or cancelled publication to another time; its retries start again.") { at };
        return Create(
            command, output, error,
            (parse, clock) => CliTime.ParseAt(parse.GetRequiredValue(at), clock),
            (scheduler, id, when, ct) => scheduler.RescheduleAsync(id, when!.Value, ct),
            p => $"due {p.ScheduledAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; `herald work` sends it then");
    }

    private static Command Create(
        Command command,
        TextWriter output,
        TextWriter error,
        Func<ParseResult, TimeProvider, ScheduleTime?> when,
        Func<IPublicationScheduler, PublicationId, ScheduleTime?, CancellationToken, Task<Publication>> change,
        Func<Publication, string> done)
    {
        var id = new Argument<string>("id") { Description = "The publication's short id as `herald status` shows it, or its full id." };
        command.Add(id);
        command.Add(CommonOptions.Config);
        command.Add(CommonOptions.Sandbox);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var reporter = new Reporter(output, error);
            try
            {
                var configuration = CliConfiguration.Build(parse.GetValue(CommonOptions.Config), parse.GetValue(CommonOptions.Sandbox));
                await using var services = CliServices.Build(configuration, verbose: false);
                var time = when(parse, services.GetRequiredService<TimeProvider>());
                await services.MigrateHeraldDatabaseAsync(cancellationToken);
                await using var scope = services.CreateAsyncScope();
                var scheduler = scope.ServiceProvider.GetRequiredService<IPublicationScheduler>();
                var lookup = scope.ServiceProvider.GetRequiredService<PublicationLookup>();
                var found = await lookup.ResolveAsync(parse.GetRequiredValue(id), cancellationToken);
                var publication = await change(scheduler, found.Id, time, cancellationToken);
                reporter.Line($"✓ {publication.Platform} publication {await lookup.ShortIdAsync(publication, cancellationToken)} is {publication.Status}: {done(publication)}.");
                return HeraldCommandLine.Ok;
            }
            catch (Exception ex) when (ex is ArgumentException or IllegalTransitionException or PublicationConflictException or CliInputException or ScheduleTimeException)
            {
                reporter.Error(ex);
                return HeraldCommandLine.BadInput;
            }
        });
        return command;
    }
}
