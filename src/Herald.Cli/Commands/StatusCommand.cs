using System.CommandLine;
using System.Globalization;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Publications;
using Herald.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Commands;

/// <summary><c>herald status [ID]</c>: recent publications as a table, or one with every field and attempt.</summary>
internal static class StatusCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var id = new Argument<string?>("id") { Description = "A publication id (or 6+ hex characters of it); without one, the newest publications.", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<int>("--limit") { Description = "How many publications the table shows.", DefaultValueFactory = _ => 30 };
        var command = new Command("status", "Show publications and their attempts.") { id, limit };
        command.Add(CommonOptions.Config);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var reporter = new Reporter(output, error);
            try
            {
                if (parse.GetValue(limit) is < 1 or > 10_000)
                {
                    throw new CliInputException("--limit: must be between 1 and 10000");
                }

                var configuration = CliConfiguration.Build(parse.GetValue(CommonOptions.Config));
                await using var services = CliServices.Build(configuration, verbose: false);
                await services.MigrateHeraldDatabaseAsync(cancellationToken);
                await using var scope = services.CreateAsyncScope();
                var scheduler = scope.ServiceProvider.GetRequiredService<IPublicationScheduler>();
                if (parse.GetValue(id) is { } wanted)
                {
                    var details = await scheduler.GetAsync(await scheduler.ResolveIdAsync(wanted, cancellationToken), cancellationToken);
                    PrintDetails(details!, reporter);
                }
                else
                {
                    PrintTable(await scheduler.ListAsync(limit: parse.GetValue(limit), cancellationToken: cancellationToken), reporter);
                }

                return HeraldCommandLine.Ok;
            }
            catch (Exception ex) when (ex is ArgumentException or CliInputException)
            {
                reporter.Error(ex);
                return HeraldCommandLine.BadInput;
            }
        });
        return command;
    }

    private static void PrintTable(IReadOnlyList<Publication> publications, Reporter reporter)
    {
        if (publications.Count == 0)
        {
            reporter.Line("No publications yet. Schedule one: herald post FILE.md --to devto --at \"2026-12-01 09:00 Europe/Berlin\"");
            return;
        }

        reporter.Line($"{"ID",-32}  {"PLATFORM",-9} {"STATUS",-20} {"DUE (UTC)",-16}  TRIES  RESULT");
        foreach (var p in publications)
        {
            var due = p.NextAttemptAt ?? p.ScheduledAt;
            var result = p.Status == PublicationStatus.Published ? p.Url?.ToString() ?? "" : p.LastError ?? "";
            reporter.Line($"{p.Id,-32}  {p.Platform,-9} {p.Status,-20} {Utc(due),-16}  {p.AttemptCount,5}  {Shorten(result, 60)}");
        }
    }

    private static void PrintDetails(PublicationDetails details, Reporter reporter)
    {
        var p = details.Publication;
        var local = TimeZoneInfo.ConvertTime(p.ScheduledAt, FindZone(p.TimeZone));
        reporter.Line($"Publication   {p.Id}");
        reporter.Line($"Content       {details.Content?.Title ?? "(missing)"} ({p.ContentId})");
        reporter.Line($"Account       {p.Platform} · {details.Account?.DisplayName ?? "(missing)"}");
        reporter.Line($"Status        {p.Status}");
        reporter.Line($"Scheduled     {local:yyyy-MM-dd HH:mm:ss} {p.TimeZone} ({Utc(p.ScheduledAt)} UTC)");
        reporter.Line($"Next attempt  {(p.NextAttemptAt is { } next ? Utc(next) + " UTC" : "—")}");
        reporter.Line($"Attempts      {p.AttemptCount} (retries {p.RetryCount} of {p.MaxRetries})");
        reporter.Line($"Lease         {(p.LeaseOwner is null ? "—" : $"{p.LeaseOwner} until {Utc(p.LeaseExpiresAt!.Value)} UTC")}");
        reporter.Line($"External id   {p.ExternalId ?? "—"}");
        reporter.Line($"URL           {p.Url?.ToString() ?? "—"}");
        reporter.Line($"Published at  {(p.PublishedAt is { } at ? Utc(at) + " UTC" : "—")}");
        reporter.Line($"Last error    {(p.LastError is null ? "—" : $"{p.LastErrorKind}: {p.LastError}")}");
        reporter.Line("Attempts:");
        foreach (var a in details.Attempts)
        {
            var status = a.HttpStatus is { } code ? code.ToString(CultureInfo.InvariantCulture) : "—";
            reporter.Line($"  #{a.Number,-3} {Utc(a.StartedAt)}  {a.Duration.TotalMilliseconds,7:0} ms  {a.Outcome,-12} HTTP {status,-4} {a.Error}");
        }

        if (details.Attempts.Count == 0)
        {
            reporter.Line("  (none yet)");
        }
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Shorten(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    private static TimeZoneInfo FindZone(string name)
    {
        try
        {
            return name == "UTC" ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
