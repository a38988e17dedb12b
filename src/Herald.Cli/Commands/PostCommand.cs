using System.CommandLine;
using Herald.Accounts;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Contents;
using Herald.Engine;
using Herald.Formatting;
using Herald.Platforms;
using Herald.Publications;
using Herald.Sandbox.Hosting;
using Herald.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Commands;

/// <summary><c>herald post FILE.md --to devto,linkedin [--sandbox] [--dry-run]</c>: publish a Markdown file now.</summary>
internal static class PostCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file") { Description = "The Markdown file, with optional YAML front matter (title, tags, description, canonical_url, cover_image, series)." };
        var to = new Option<string>("--to") { Description = "Comma-separated platforms, e.g. devto,linkedin (or 'all').", Required = true };
        var sandbox = new Option<bool>("--sandbox") { Description = "Publish to a local sandbox started in-process instead of the real platforms." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the exact payload for each platform and send nothing." };
        var command = new Command("post", "Publish a Markdown file to one or more platforms now.") { file, to, sandbox, dryRun };
        command.Add(CommonOptions.Config);
        command.Add(CommonOptions.Verbose);
        command.SetAction((parse, cancellationToken) => RunAsync(
            new PostArguments(
                parse.GetRequiredValue(file),
                parse.GetRequiredValue(to),
                parse.GetValue(sandbox),
                parse.GetValue(dryRun),
                parse.GetValue(CommonOptions.Config),
                parse.GetValue(CommonOptions.Verbose)),
            new Reporter(output, error),
            cancellationToken));
        return command;
    }

    private sealed record PostArguments(FileInfo File, string To, bool Sandbox, bool DryRun, FileInfo? Config, bool Verbose);

    private sealed record Target(IPlatformAdapter Adapter, Account Account);

    private static async Task<int> RunAsync(PostArguments args, Reporter reporter, CancellationToken cancellationToken)
    {
        try
        {
            if (!args.File.Exists)
            {
                throw new CliInputException($"file: '{args.File.FullName}' does not exist");
            }

            var configuration = CliConfiguration.Build(args.Config);
            await using var services = CliServices.Build(configuration, args.Verbose);
            var registry = services.GetRequiredService<PlatformRegistry>();
            var clock = services.GetRequiredService<TimeProvider>();

            var text = await File.ReadAllTextAsync(args.File.FullName, cancellationToken);
            var content = MarkdownDocument.Parse(text, clock.GetUtcNow());
            var adapters = ResolveTargets(args.To, registry);

            await using var sandbox = args.Sandbox ? await SandboxServer.StartAsync(cancellationToken: cancellationToken) : null;
            var targets = adapters
                .Select(a => new Target(a, sandbox is null
                    ? AccountCatalog.FromConfiguration(configuration, a.Platform)
                    : AccountCatalog.ForSandbox(configuration, a.Platform, sandbox)))
                .ToList();

            var problems = targets.SelectMany(t => t.Adapter.Validate(content, t.Account)).ToList();
            if (problems.Count > 0)
            {
                throw new ContentValidationException(problems);
            }

            if (args.DryRun)
            {
                PrintPayloads(content, targets, reporter);
                return HeraldCommandLine.Ok;
            }

            reporter.Line($"Publishing \"{Describe(content)}\" to {string.Join(", ", targets.Select(t => t.Adapter.Platform.DisplayName))}" +
                (sandbox is null ? "" : $" (sandbox at {sandbox.BaseAddress})"));
            return await PublishAsync(services, content, targets, reporter, cancellationToken);
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
        catch (Exception ex) when (ex is CliInputException or UnknownPlatformException)
        {
            reporter.Error(ex.Message);
            reporter.Error("nothing was sent.");
            return HeraldCommandLine.BadInput;
        }
    }

    /// <summary>The adapters <c>--to</c> names (or every one for <c>all</c>); an unknown name is refused with the known ones.</summary>
    internal static List<IPlatformAdapter> ResolveTargets(string to, PlatformRegistry registry)
    {
        var names = to.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            throw new CliInputException("--to: name at least one platform, e.g. --to devto,linkedin");
        }

        if (names.Any(n => n.Equals("all", StringComparison.OrdinalIgnoreCase)))
        {
            return [.. registry.Adapters];
        }

        var unknown = names.Where(n => !registry.TryResolve(n, out _)).ToList();
        if (unknown.Count > 0)
        {
            throw new CliInputException(
                $"--to: unknown platform{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(n => $"'{n}'"))}; " +
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
                ? $"{target.Adapter.Platform.Id} · {payload.MediaType}"
                : $"{target.Adapter.Platform.Id} · {payload.Endpoint} · {payload.MediaType}";
            reporter.Block(title, payload.Body);
        }

        reporter.Line("Dry run: nothing was sent.");
    }

    private static async Task<int> PublishAsync(
        ServiceProvider services,
        Content content,
        List<Target> targets,
        Reporter reporter,
        CancellationToken cancellationToken)
    {
        await services.MigrateHeraldDatabaseAsync(cancellationToken);
        await using var scope = services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
        var runner = scope.ServiceProvider.GetRequiredService<PublicationRunner>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var maxRetries = scope.ServiceProvider.GetRequiredService<IConfiguration>().GetValue("Herald:MaxRetries", 3);

        await store.AddContentAsync(content, cancellationToken);
        var failed = 0;
        foreach (var target in targets)
        {
            var account = await store.UpsertAccountAsync(target.Account, cancellationToken);
            var now = clock.GetUtcNow();
            var publication = Publication.Create(content.Id, account.Id, target.Adapter.Platform.Id, now, "UTC", maxRetries, now);
            await store.AddPublicationAsync(publication, cancellationToken);

            reporter.Started(target.Adapter.Platform);
            var result = await runner.RunAsync(publication, content, account, Environment.MachineName, cancellationToken);
            reporter.Result(target.Adapter.Platform, result, publication.Id.ToString(),
                publication.Status == PublicationStatus.RetryScheduled ? publication.NextAttemptAt : null);
            failed += result.Success ? 0 : 1;
        }

        return failed == 0 ? HeraldCommandLine.Ok : HeraldCommandLine.TargetFailed;
    }

    private static string Describe(Content content) =>
        content.Type == ContentType.Article ? content.Title : content.Body.Length <= 40 ? content.Body : content.Body[..40] + "…";
}
