using System.CommandLine;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Publications;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Commands;

/// <summary><c>herald posted ID --url URL</c>: the user posted a manual draft by hand; mark it Published.</summary>
internal static class PostedCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var id = new Argument<string>("id") { Description = "The publication's short id that `herald post` printed, or its full id." };
        var url = new Option<string?>("--url") { Description = "Where the post now lives, e.g. https://www.linkedin.com/feed/update/urn:li:share:…/" };
        var command = new Command("posted", "Mark a manual draft (LinkedIn manual mode) as posted.") { id, url };
        command.Add(CommonOptions.Config);
        command.Add(CommonOptions.Sandbox);
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetRequiredValue(id), parse.GetValue(url), parse.GetValue(CommonOptions.Config), parse.GetValue(CommonOptions.Sandbox), new Reporter(output, error), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string id, string? urlText, FileInfo? config, bool sandbox, Reporter reporter, CancellationToken cancellationToken)
    {
        try
        {
            Uri? url = null;
            if (urlText is not null && (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https")))
            {
                throw new CliInputException($"--url: must be an absolute http or https URL, not '{urlText}'");
            }

            var configuration = CliConfiguration.Build(config, sandbox);
            await using var services = CliServices.Build(configuration, verbose: false);
            await services.MigrateHeraldDatabaseAsync(cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
            var lookup = scope.ServiceProvider.GetRequiredService<PublicationLookup>();
            var found = await lookup.ResolveAsync(id, cancellationToken);
            var shortId = await lookup.ShortIdAsync(found, cancellationToken);
            if (found.Status != PublicationStatus.AwaitingManualAction)
            {
                throw new CliInputException($"id: publication {shortId} ({found.Platform}) is {found.Status}, not awaiting manual action");
            }

            var publication = (await store.GetPublicationAsync(found.Id, cancellationToken))!;
            publication.MarkPosted(url, scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow());
            await store.SavePublicationAsync(publication, cancellationToken);
            reporter.Line($"✓ {publication.Platform} publication {shortId} marked Published{(url is null ? "" : $" at {url}")}.");
            return HeraldCommandLine.Ok;
        }
        catch (Exception ex) when (ex is CliInputException or IllegalTransitionException)
        {
            reporter.Error(ex);
            return HeraldCommandLine.BadInput;
        }
    }
}
