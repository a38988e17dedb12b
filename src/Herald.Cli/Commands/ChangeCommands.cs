using System.CommandLine;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Publications;
using Herald.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Commands;

/// <summary><c>herald cancel ID</c> and <c>herald retry ID</c>: change one publication's status through the scheduler.</summary>
internal static class ChangeCommands
{
    public static Command Cancel(TextWriter output, TextWriter error) => Create(
        "cancel", "Cancel a publication that has not been sent (Scheduled, RetryScheduled or AwaitingManualAction).", output, error,
        (scheduler, id, ct) => scheduler.CancelAsync(id, ct), "cancelled");

    public static Command Retry(TextWriter output, TextWriter error) => Create(
        "retry", "Try a Failed, NeedsReview or RetryScheduled publication again now, with its retries reset.", output, error,
        (scheduler, id, ct) => scheduler.RetryNowAsync(id, ct), "due now; `herald work` sends it");

    private static Command Create(
        string name,
        string description,
        TextWriter output,
        TextWriter error,
        Func<IPublicationScheduler, PublicationId, CancellationToken, Task<Publication>> change,
        string done)
    {
        var id = new Argument<string>("id") { Description = "The publication id (or its first 6+ hex characters)." };
        var command = new Command(name, description) { id };
        command.Add(CommonOptions.Config);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var reporter = new Reporter(output, error);
            try
            {
                var configuration = CliConfiguration.Build(parse.GetValue(CommonOptions.Config));
                await using var services = CliServices.Build(configuration, verbose: false);
                await services.MigrateHeraldDatabaseAsync(cancellationToken);
                await using var scope = services.CreateAsyncScope();
                var scheduler = scope.ServiceProvider.GetRequiredService<IPublicationScheduler>();
                var publicationId = await scheduler.ResolveIdAsync(parse.GetRequiredValue(id), cancellationToken);
                var publication = await change(scheduler, publicationId, cancellationToken);
                reporter.Line($"✓ {publication.Platform} publication {publication.Id} is {publication.Status}: {done}.");
                return HeraldCommandLine.Ok;
            }
            catch (Exception ex) when (ex is ArgumentException or IllegalTransitionException or PublicationConflictException or CliInputException)
            {
                reporter.Error(ex);
                return HeraldCommandLine.BadInput;
            }
        });
        return command;
    }
}
