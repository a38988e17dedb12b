using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Platforms;
using Herald.Publications;
using Herald.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald status [ID] [--status …] [--platform …] [--account …] [--since …] [--until …] [--limit N] [--json]</c>: recent
/// publications as a table, or one with every field and attempt.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var id = new Argument<string?>("id") { Description = "A publication's short id (or 4+ characters of it) or full id; without one, the newest publications.", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<int>("--limit") { Description = "How many publications the table shows.", DefaultValueFactory = _ => 30 };
        var status = new Option<string?>("--status") { Description = $"Only these statuses, comma-separated: {string.Join(", ", Enum.GetNames<PublicationStatus>())}." };
        var platform = new Option<string?>("--platform") { Description = "Only these platforms, comma-separated, e.g. devto,x." };
        var account = new Option<string?>("--account") { Description = "Only these stored accounts, comma-separated, by name or platform:name, e.g. x:work." };
        var since = new Option<string?>("--since") { Description = "Only publications due (or published) at or after this time: \"2026-12-01\", \"2026-12-01 09:00 Europe/Berlin\", \"-7d\"." };
        var until = new Option<string?>("--until") { Description = "Only publications due at or before this time: \"2026-12-08\", \"+1d\"." };
        var json = new Option<bool>("--json") { Description = "Machine-readable output: an array of publications (one object with its attempts for an id)." };
        var command = new Command("status", "Show publications and their attempts.") { id, limit, status, platform, account, since, until, json };
        command.Add(CommonOptions.Config);
        command.Add(CommonOptions.Sandbox);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var reporter = new Reporter(output, error);
            try
            {
                if (parse.GetValue(limit) is < 1 or > 10_000)
                {
                    throw new CliInputException("--limit: must be between 1 and 10000");
                }

                var configuration = CliConfiguration.Build(parse.GetValue(CommonOptions.Config), parse.GetValue(CommonOptions.Sandbox));
                await using var services = CliServices.Build(configuration, verbose: false);
                var clock = services.GetRequiredService<TimeProvider>();
                var filter = new PublicationFilter(
                    Statuses(parse.GetValue(status)),
                    Platforms(parse.GetValue(platform), services.GetRequiredService<PlatformRegistry>()),
                    parse.GetValue(since) is { } from ? CliTime.ParseInstant(from, clock, "--since") : null,
                    parse.GetValue(until) is { } to ? CliTime.ParseInstant(to, clock, "--until") : null,
                    parse.GetValue(limit));
                await services.MigrateHeraldDatabaseAsync(cancellationToken);
                await using var scope = services.CreateAsyncScope();
                var lookup = scope.ServiceProvider.GetRequiredService<PublicationLookup>();
                filter = filter with { Accounts = await lookup.ResolveAccountsAsync(parse.GetValue(account), "--account", cancellationToken) };
                var sandbox = parse.GetValue(CommonOptions.Sandbox);
                var sandboxUrl = CliConfiguration.SandboxUrl(configuration);
                // A sandbox post exists only on the sandbox: show its page there, not the real platform's URL.
                Func<Publication, Uri?> urlOf = sandbox ? p => SandboxConnection.PostUrl(sandboxUrl, p.Platform, p.ExternalId) ?? p.Url : p => p.Url;
                if (sandbox && !parse.GetValue(json))
                {
                    reporter.Line($"Sandbox publications ({configuration["Herald:Database"]}): sent to the local sandbox, never to a real platform; " +
                        $"their pages open while `herald sandbox` runs at {sandboxUrl}.");
                }

                if (parse.GetValue(id) is { } wanted)
                {
                    var publication = await lookup.ResolveAsync(wanted, cancellationToken);
                    var details = await scope.ServiceProvider.GetRequiredService<IPublicationScheduler>().GetAsync(publication.Id, cancellationToken);
                    var shortId = await lookup.ShortIdAsync(publication, cancellationToken);
                    if (parse.GetValue(json))
                    {
                        await output.WriteLineAsync(JsonSerializer.Serialize(
                            PublicationJson.From(details!.Publication, shortId, sandbox, urlOf(details.Publication), details.Attempts), PublicationJson.Options));
                    }
                    else
                    {
                        PrintDetails(details!, shortId, urlOf(details!.Publication), reporter);
                    }
                }
                else
                {
                    var publications = await lookup.ListAsync(filter, cancellationToken);
                    var shortIds = await lookup.ShortIdsAsync(publications, cancellationToken);
                    if (parse.GetValue(json))
                    {
                        await output.WriteLineAsync(JsonSerializer.Serialize(
                            publications.Select(p => PublicationJson.From(p, shortIds[p.Id], sandbox, urlOf(p))), PublicationJson.Options));
                    }
                    else
                    {
                        var accounts = await lookup.AccountNamesAsync(publications, cancellationToken);
                        PrintTable(publications, shortIds, accounts, filter, urlOf, reporter);
                    }
                }

                return HeraldCommandLine.Ok;
            }
            catch (Exception ex) when (ex is ArgumentException or CliInputException or ScheduleTimeException)
            {
                reporter.Error(ex);
                return HeraldCommandLine.BadInput;
            }
        });
        return command;
    }

    private static HashSet<PublicationStatus> Statuses(string? text)
    {
        var result = new HashSet<PublicationStatus>();
        foreach (var name in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Enum.TryParse<PublicationStatus>(name, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || name.All(char.IsAsciiDigit))
            {
                throw new CliInputException($"--status: unknown status '{name}'; known statuses: {string.Join(", ", Enum.GetNames<PublicationStatus>())}");
            }

            result.Add(parsed);
        }

        return result;
    }

    private static HashSet<string> Platforms(string? text, PlatformRegistry registry) =>
        text is null ? [] : [.. PostCommand.ResolveTargets(text, registry, "--platform").Select(a => a.Platform.Id)];

    private static void PrintTable(
        IReadOnlyList<Publication> publications,
        IReadOnlyDictionary<PublicationId, string> shortIds,
        IReadOnlyDictionary<AccountId, string> accounts,
        PublicationFilter filter,
        Func<Publication, Uri?> urlOf,
        Reporter reporter)
    {
        if (publications.Count == 0)
        {
            reporter.Line(filter.Statuses.Count + filter.Platforms.Count > 0 || filter.Since is not null || filter.Until is not null
                ? "No publications match."
                : "No publications yet. Schedule one: herald post FILE.md --to devto --at \"2026-12-01 09:00 Europe/Berlin\"");
            return;
        }

        // Several accounts on one platform read apart by their names (as --to and --account take them).
        string Account(Publication p) => Shorten(accounts.TryGetValue(p.AccountId, out var name) ? name : "(removed)", 20);
        var width = Math.Max(8, shortIds.Values.Max(s => s.Length));
        var accountWidth = Math.Max(7, publications.Max(p => Account(p).Length));
        reporter.Line($"{"ID".PadRight(width)}  {"PLATFORM",-9} {"ACCOUNT".PadRight(accountWidth)}  {"STATUS",-20} {"DUE (UTC)",-19}  TRIES  RESULT");
        foreach (var p in publications)
        {
            var due = p.NextAttemptAt ?? p.ScheduledAt;
            var result = p.Status == PublicationStatus.Published ? urlOf(p)?.ToString() ?? "" : p.LastError ?? "";
            reporter.Line($"{shortIds[p.Id].PadRight(width)}  {p.Platform,-9} {Account(p).PadRight(accountWidth)}  {p.Status,-20} {Utc(due),-19}  {p.AttemptCount,5}  {Shorten(result, 60)}");
        }
    }

    private static void PrintDetails(PublicationDetails details, string shortId, Uri? url, Reporter reporter)
    {
        var p = details.Publication;
        var local = TimeZoneInfo.ConvertTime(p.ScheduledAt, FindZone(p.TimeZone));
        reporter.Line($"Publication   {shortId} ({p.Id})");
        reporter.Line($"Content       {details.Content?.Title ?? "(missing)"} ({p.ContentId})");
        reporter.Line($"Account       {p.Platform} · {details.Account?.DisplayName ?? "(missing)"}");
        reporter.Line($"Status        {p.Status}");
        reporter.Line($"Scheduled     {local:yyyy-MM-dd HH:mm:ss} {p.TimeZone} ({Utc(p.ScheduledAt)} UTC)");
        reporter.Line($"Next attempt  {(p.NextAttemptAt is { } next ? Utc(next) + " UTC" : "—")}");
        reporter.Line($"Attempts      {p.AttemptCount} (retries {p.RetryCount} of {p.MaxRetries})");
        reporter.Line($"Lease         {(p.LeaseOwner is null ? "—" : $"{p.LeaseOwner} until {Utc(p.LeaseExpiresAt!.Value)} UTC")}");
        reporter.Line($"External id   {p.ExternalId ?? "—"}");
        reporter.Line($"URL           {url?.ToString() ?? "—"}");
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
