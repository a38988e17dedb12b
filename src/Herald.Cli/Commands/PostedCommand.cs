using System.CommandLine;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Publications;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Commands;

/// <summary><c>herald posted ID --url URL</c>: the user posted a manual draft by hand; mark it Published.</summary>
internal static class PostedCommand
{
    private const int MinimumIdPrefix = 6;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var id = new Argument<string>("id") { Description = "The publication id (or its first 6+ characters) that `herald post` printed." };
        var url = new Option<string?>("--url") { Description = "Where the post now lives, e.g. https://www.linkedin.com/feed/update/urn:li:share:…/" };
        var command = new Command("posted", "Mark a manual draft (LinkedIn manual mode) as posted.") { id, url };
        command.Add(CommonOptions.Config);
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetRequiredValue(id), parse.GetValue(url), parse.GetValue(CommonOptions.Config), new Reporter(output, error), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string id, string? urlText, FileInfo? config, Reporter reporter, CancellationToken cancellationToken)
    {
        try
        {
            Uri? url = null;
            if (urlText is not null && (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https")))
            {
                throw new CliInputException($"--url: must be an absolute http or https URL, not '{urlText}'");
            }

            var prefix = id.Trim().Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
            if (prefix.Length < MinimumIdPrefix || !prefix.All(Uri.IsHexDigit))
            {
                throw new CliInputException($"id: must be a publication id or at least its first {MinimumIdPrefix} hex characters, not '{id}'");
            }

            var configuration = CliConfiguration.Build(config);
            await using var services = CliServices.Build(configuration, verbose: false);
            await services.MigrateHeraldDatabaseAsync(cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
            var waiting = await store.ListPublicationsAsync(PublicationStatus.AwaitingManualAction, 1000, cancellationToken);
            var matches = waiting.Where(p => p.Id.Value.ToString("N").StartsWith(prefix, StringComparison.Ordinal)).ToList();
            switch (matches.Count)
            {
                case 0:
                    throw new CliInputException($"id: no publication awaiting manual action starts with '{prefix}'");
                case > 1:
                    throw new CliInputException($"id: '{prefix}' matches {matches.Count} publications; give more characters");
            }

            var publication = matches[0];
            publication.MarkPosted(url, scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow());
            await store.SavePublicationAsync(publication, cancellationToken);
            reporter.Line($"✓ {publication.Platform} publication {publication.Id} marked Published{(url is null ? "" : $" at {url}")}.");
            return HeraldCommandLine.Ok;
        }
        catch (CliInputException ex)
        {
            reporter.Error(ex);
            return HeraldCommandLine.BadInput;
        }
    }
}
