using System.CommandLine;
using Herald.Accounts;
using Herald.Cli.Accounts;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Contents;
using Herald.Engine;
using Herald.Formatting;
using Herald.Platforms;
using Herald.Publications;
using Herald.Scheduling;
using Herald.Validation;
using Herald.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald post FILE.md --to devto,linkedin [--at TIME] [--sandbox] [--dry-run]</c>: publish a Markdown file now
/// (inline, with progress), or store it for the workers to publish at <c>--at</c>.
/// </summary>
internal static class PostCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file") { Description = "The Markdown file, with optional YAML front matter (title, tags, description, canonical_url, cover_image, series)." };
        var to = new Option<string>("--to") { Description = "Comma-separated platforms, e.g. devto,linkedin (or 'all').", Required = true };
        var sandbox = new Option<bool>("--sandbox") { Description = "Publish to a local sandbox started in-process instead of the real platforms." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the exact payload for each platform and send nothing." };
        var at = new Option<string?>("--at")
        {
            Description = "Publish later: \"2026-12-01 09:00 Europe/Berlin\", an ISO 8601 time with offset, \"+2h\" or \"+1d3h\" from now, or \"now\". " +
                "A time without a zone is local. `herald work` publishes it when it is due.",
        };
        var json = new Option<bool>("--json") { Description = "Machine-readable output: the publications created, as `herald status --json` shows them (no progress lines)." };
        var again = new Option<bool>("--again") { Description = "Publish even if this content (same canonical URL, or same text) was already published to the same account." };
        var command = new Command("post", "Publish a Markdown file to one or more platforms, now or at a time.") { file, to, sandbox, dryRun, at, again, json };
        command.Add(CommonOptions.Config);
        command.Add(CommonOptions.Verbose);
        command.SetAction((parse, cancellationToken) => RunAsync(
            new PostArguments(
                parse.GetRequiredValue(file),
                parse.GetRequiredValue(to),
                parse.GetValue(sandbox),
                parse.GetValue(dryRun),
                parse.GetValue(at),
                parse.GetValue(again),
                parse.GetValue(CommonOptions.Config),
                parse.GetValue(CommonOptions.Verbose),
                parse.GetValue(json)),
            new Reporter(output, error, parse.GetValue(json)),
            cancellationToken));
        return command;
    }

    private sealed record PostArguments(FileInfo File, string To, bool Sandbox, bool DryRun, string? At, bool Again, FileInfo? Config, bool Verbose, bool Json);

    private sealed record Target(IPlatformAdapter Adapter, Account Account, string Label);

    private static async Task<int> RunAsync(PostArguments args, Reporter reporter, CancellationToken cancellationToken)
    {
        try
        {
            InputFile.Check(args.File);

            var configuration = CliConfiguration.Build(args.Config, args.Sandbox);
            await using var services = CliServices.Build(configuration, args.Verbose);
            var registry = services.GetRequiredService<PlatformRegistry>();
            var clock = services.GetRequiredService<TimeProvider>();

            var when = args.At is null ? (ScheduleTime?)null : CliTime.ParseAt(args.At, clock);
            var content = await services.GetRequiredService<MarkdownFileReader>().ReadAsync(args.File.FullName, cancellationToken);
            var resolved = await CliAccountsFactory.Create(services, configuration, args.Sandbox).ResolveAsync(args.To, "--to", cancellationToken);
            // Several accounts of one platform, or a stored account, are shown by name (x:work); otherwise by platform.
            var targets = resolved
                .Select(t => new Target(t.Adapter, t.Known.Account,
                    t.Known.Source == AccountSource.Stored || resolved.Count(o => o.Adapter == t.Adapter) > 1 ? t.Known.Name : t.Adapter.Platform.Id))
                .ToList();

            targets = LeaveOutRefused(targets, content, args.To, reporter);

            if (args.DryRun && args.Json)
            {
                throw new CliInputException("--json: not with --dry-run; `herald preview --json` gives the payloads");
            }

            if (args.DryRun)
            {
                PrintPayloads(content, targets, reporter);
                return HeraldCommandLine.Ok;
            }

            if (when is { } due)
            {
                return await ScheduleAsync(services, content, targets, due, args, reporter, cancellationToken);
            }

            await using var sandbox = args.Sandbox ? await SandboxConnection.OpenAsync(configuration, cancellationToken) : null;
            reporter.Line($"Publishing \"{Describe(content)}\" to {string.Join(", ", targets.Select(t => t.Label == t.Adapter.Platform.Id ? t.Adapter.Platform.DisplayName : t.Label))}" +
                (sandbox is null ? "" : $" (sandbox at {sandbox.BaseAddress}{(sandbox.Standalone ? "" : ", started for this command; run `herald sandbox` to keep its pages open")})"));
            return await PublishAsync(services, content, targets, sandbox, args.Again, reporter, cancellationToken);
        }
        catch (ContentValidationException ex)
        {
            foreach (var problem in ex.Problems)
            {
                reporter.Error(problem.ToString());
            }

            reporter.Error("nothing was sent.");
            return HeraldCommandLine.BadInput;
        }
        catch (Exception ex) when (ex is CliInputException or UnknownPlatformException or ScheduleTimeException)
        {
            reporter.Error(ex);
            reporter.Error("nothing was sent.");
            return HeraldCommandLine.BadInput;
        }
    }

    private static async Task<int> ScheduleAsync(
        ServiceProvider services, Content content, List<Target> targets, ScheduleTime when, PostArguments args, Reporter reporter, CancellationToken cancellationToken)
    {
        var sandbox = args.Sandbox;
        await services.MigrateHeraldDatabaseAsync(cancellationToken);
        await using var scope = services.CreateAsyncScope();
        var scheduler = scope.ServiceProvider.GetRequiredService<IPublicationScheduler>();
        // Sandbox accounts are for trying things: the same example may be posted as often as one likes.
        var publications = await scheduler.ScheduleAsync(
            content, [.. targets.Select(t => t.Account)], when, new ScheduleOptions { Again = args.Again || args.Sandbox }, cancellationToken);
        var shortIds = await scope.ServiceProvider.GetRequiredService<PublicationLookup>().ShortIdsAsync(publications, cancellationToken);
        reporter.Line($"Scheduled \"{Describe(content)}\" for {when.Local:yyyy-MM-dd HH:mm} {when.TimeZone} ({when.Utc:yyyy-MM-dd HH:mm} UTC):");
        // The scheduler answers in the order of the accounts it was given.
        foreach (var (target, publication) in targets.Zip(publications))
        {
            reporter.Line($"  {Reporter.Pad(target.Label)}{shortIds[publication.Id]}");
        }

        reporter.Line($"Run `herald work{(sandbox ? " --sandbox" : "")}` to publish when it is due; `herald status{(sandbox ? " --sandbox" : "")} ID` shows progress.");
        reporter.Json(publications.Select(p => PublicationJson.From(p, shortIds[p.Id], sandbox, p.Url)));
        return HeraldCommandLine.Ok;
    }

    /// <summary>
    /// The targets the content can go to. Named targets are all or nothing: one refusal refuses the command. With
    /// <c>all</c>, the targets that refuse this content are left out, each with its reasons on standard error, and the
    /// others go ahead; only when every one refuses is the command refused.
    /// </summary>
    private static List<Target> LeaveOutRefused(List<Target> targets, Content content, string to, Reporter reporter)
    {
        var checkedTargets = targets.Select(t => (Target: t, Problems: t.Adapter.Validate(content, t.Account))).ToList();
        var problems = checkedTargets.SelectMany(c => c.Problems).ToList();
        if (problems.Count == 0)
        {
            return targets;
        }

        var everything = to.Split(',', StringSplitOptions.TrimEntries).Any(n => n.Equals("all", StringComparison.OrdinalIgnoreCase));
        var going = checkedTargets.Where(c => c.Problems.Count == 0).Select(c => c.Target).ToList();
        if (!everything || going.Count == 0)
        {
            throw new ContentValidationException(problems);
        }

        foreach (var (target, refusals) in checkedTargets.Where(c => c.Problems.Count > 0))
        {
            reporter.Warning($"left out of 'all': {target.Label}: {string.Join("; ", refusals.Select(p => $"{p.Field}: {p.Message}"))}");
        }

        return going;
    }

    /// <summary>The adapters <c>--to</c> names (or every one for <c>all</c>); an unknown name is refused with the known ones.</summary>
    internal static List<IPlatformAdapter> ResolveTargets(string to, PlatformRegistry registry, string field = "--to")
    {
        var names = to.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            throw new CliInputException($"{field}: name at least one platform, e.g. {field} devto,linkedin");
        }

        if (names.Any(n => n.Equals("all", StringComparison.OrdinalIgnoreCase)))
        {
            return [.. registry.Adapters];
        }

        var unknown = names.Where(n => !registry.TryResolve(n, out _)).ToList();
        if (unknown.Count > 0)
        {
            throw new CliInputException(
                $"{field}: unknown platform{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(n => $"'{n}'"))}; " +
                $"known platforms: {string.Join(", ", registry.PlatformIds)}");
        }

        return names.Select(registry.Resolve).DistinctBy(a => a.Platform.Id).ToList();
    }

    private static void PrintPayloads(Content content, List<Target> targets, Reporter reporter)
    {
        foreach (var target in targets)
        {
            var payload = target.Adapter.Render(content, target.Account);
            var title = payload.Endpoint is null
                ? $"{target.Label} · {payload.MediaType}"
                : $"{target.Label} · {payload.Endpoint} · {payload.MediaType}";
            reporter.Block(title, payload.Body);
        }

        reporter.Line("Dry run: nothing was sent.");
    }

    /// <summary>
    /// Publishes now, in this process, through the same attempt owner as the workers (<see cref="PublicationRunner"/>),
    /// under the same lease and attempt budget: the publications are stored already taken by this process, so a
    /// <c>herald work</c> on the same database cannot claim one while it is being sent here.
    /// </summary>
    private static async Task<int> PublishAsync(
        ServiceProvider services,
        Content content,
        List<Target> targets,
        SandboxConnection? sandbox,
        bool again,
        Reporter reporter,
        CancellationToken cancellationToken)
    {
        await services.MigrateHeraldDatabaseAsync(cancellationToken);
        await using var scope = services.CreateAsyncScope();
        var scheduler = scope.ServiceProvider.GetRequiredService<IPublicationScheduler>();
        var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
        var runner = scope.ServiceProvider.GetRequiredService<PublicationRunner>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var options = scope.ServiceProvider.GetRequiredService<WorkerOptions>();
        var owner = $"post-{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

        var publications = await scheduler.ScheduleAsync(
            content, [.. targets.Select(t => t.Account)], ScheduleTime.Now(clock),
            // A sandbox run skips the repost guard: the same example may be posted as often as one likes.
            new ScheduleOptions { Again = again || sandbox is not null, ClaimFor = owner, Lease = options.LeaseDuration },
            cancellationToken);
        var shortIds = await scope.ServiceProvider.GetRequiredService<PublicationLookup>().ShortIdsAsync(publications, cancellationToken);
        // A long thread takes a while: each part is reported (on stderr) as the platform confirms it.
        var parts = targets.Zip(publications).ToDictionary(
            pair => pair.Second.Id, pair => (pair.First.Label, Total: pair.First.Adapter.Render(content, pair.First.Account).Parts.Count));
        scope.ServiceProvider.GetRequiredService<PartProgress>().PartConfirmed += p =>
        {
            if (parts.TryGetValue(p.Id, out var thread) && thread.Total > 1)
            {
                reporter.Part(thread.Label, p.ThreadPartIds.Count, thread.Total);
            }
        };
        var failed = 0;
        var waiting = false;
        var stopped = new List<(Target Target, Publication Publication)>();
        foreach (var (target, publication) in targets.Zip(publications))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                stopped.Add((target, publication));
                continue;
            }

            AttemptReport report;
            try
            {
                // Each target gets a whole lease of its own: several slow targets in a row never outlive it.
                var lease = AttemptLease.Start(options, clock);
                var now = clock.GetUtcNow();
                publication.RenewLease(owner, now + options.LeaseDuration, now);
                await store.SavePublicationAsync(publication, cancellationToken);

                reporter.Started(target.Label);
                var account = await store.GetAccountAsync(publication.AccountId, cancellationToken) ?? target.Account;
                // Stored without the sandbox's port (another process may run it later); this run uses this sandbox.
                var callable = sandbox is null ? account : SandboxAccountMarker.WithBaseUrl(account, sandbox.PlatformBaseUrl(publication.Platform));
                report = await runner.RunClaimedAsync(publication, content, callable, lease, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                stopped.Add((target, publication));
                continue;
            }

            if (cancellationToken.IsCancellationRequested && publication.Status == PublicationStatus.Scheduled)
            {
                // Stopped before its send started: the runner handed it back.
                stopped.Add((target, publication));
                continue;
            }

            var outcome = report.Outcome ?? PublicationRunner.OutcomeOf(publication);
            if (sandbox is not null && outcome.Url is not null)
            {
                // The platform's own URL names a post that exists only in the sandbox: print the sandbox's page of it.
                outcome = outcome with { Url = SandboxConnection.PostUrl(sandbox.BaseAddress, publication.Platform, publication.ExternalId ?? outcome.ExternalId) };
            }

            var retrying = publication.Status is PublicationStatus.RetryScheduled or PublicationStatus.Scheduled;
            reporter.Result(target.Label, target.Adapter.Platform, outcome, shortIds[publication.Id] + Flag(sandbox), retrying ? publication.NextAttemptAt : null);
            failed += outcome.IsSuccess ? 0 : 1;
            waiting |= retrying;
        }

        if (stopped.Count > 0)
        {
            // Ctrl+C: what this run still holds goes back to the queue at once.
            foreach (var (_, publication) in stopped.Where(s => s.Publication.Status == PublicationStatus.Publishing && s.Publication.LeaseOwner == owner))
            {
                await runner.HandBackAsync(publication);
            }

            reporter.Line("Stopped before sending to " +
                string.Join(", ", stopped.Select(s => $"{s.Target.Label} ({shortIds[s.Publication.Id]})")) + ".");
            reporter.Line($"Nothing was sent there; they stay scheduled: `herald work{Flag(sandbox)}` sends them, `herald cancel{Flag(sandbox)} ID` drops one.");
            return HeraldCommandLine.TargetFailed;
        }

        if (waiting)
        {
            // The inline run ends here: a retry is only a row in the database until a worker picks it up.
            reporter.Line($"Nothing sends it until `herald work{Flag(sandbox)}` runs: it sends each retry when it is due; " +
                $"`herald status{Flag(sandbox)} ID` shows progress.");
        }

        reporter.Json(publications.Select(p => PublicationJson.From(
            p, shortIds[p.Id], sandbox is not null, sandbox is null ? p.Url : SandboxConnection.PostUrl(sandbox.BaseAddress, p.Platform, p.ExternalId) ?? p.Url)));
        return failed == 0 ? HeraldCommandLine.Ok : HeraldCommandLine.TargetFailed;
    }

    /// <summary>The flag a follow-up command needs to find a sandbox publication in the sandbox's database.</summary>
    private static string Flag(SandboxConnection? sandbox) => sandbox is null ? "" : " --sandbox";

    private static string Describe(Content content) =>
        content.Type == ContentType.Article ? content.Title : content.Body.Length <= 40 ? content.Body : content.Body[..40] + "…";
}
