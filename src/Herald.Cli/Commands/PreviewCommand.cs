using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Formatting;
using Herald.Platforms;
using Herald.Platforms.Media;
using Herald.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald preview FILE.md --to x,bluesky [--json] [--sandbox]</c>: the exact payload each platform would receive, with
/// each part's count against the platform's limit, and each image as the platform would get it (<see cref="ImagePreviewer"/>:
/// local images read and fitted as publishing fits them; images given by URL are not fetched). Sends nothing and needs
/// no credentials.
/// </summary>
internal static class PreviewCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file") { Description = "The Markdown file, with optional YAML front matter." };
        var to = new Option<string>("--to") { Description = "Comma-separated platforms, e.g. x,bluesky,mastodon (or 'all').", Required = true };
        var json = new Option<bool>("--json") { Description = "Machine-readable output: platform, parts, text, count, limit, facets, images." };
        var sandbox = new Option<bool>("--sandbox") { Description = "Preview for the sandbox's own accounts, as `post --sandbox` would send: their settings and the limits the sandbox enforces." };
        var command = new Command("preview", "Show exactly what each platform would receive, with counts and limits; sends nothing.") { file, to, json, sandbox };
        command.Add(CommonOptions.Config);
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetRequiredValue(file), parse.GetRequiredValue(to), parse.GetValue(json), parse.GetValue(sandbox), parse.GetValue(CommonOptions.Config),
            new Reporter(output, error), output, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        FileInfo file, string to, bool asJson, bool sandbox, FileInfo? config, Reporter reporter, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            InputFile.Check(file);

            var configuration = CliConfiguration.Build(config);
            await using var services = CliServices.Build(configuration, verbose: false);
            var registry = services.GetRequiredService<PlatformRegistry>();
            var content = await services.GetRequiredService<MarkdownFileReader>().ReadAsync(file.FullName, cancellationToken);
            var adapters = PostCommand.ResolveTargets(to, registry);

            // Local images are read (relative to the Markdown file) and checked as scheduling would; images given by URL
            // are fetched only when scheduled, so a preview sends no request.
            var images = services.GetRequiredService<ImagePreviewer>();
            var unreadable = await images.ReadLocalImagesAsync(content, cancellationToken);
            var previews = adapters
                .Select(adapter =>
                {
                    // The sandbox's accounts carry the settings its simulated platforms expect (a LinkedIn author, a Threads
                    // user id); the platforms' limits are the documented defaults, which the sandbox enforces too.
                    var account = sandbox
                        ? AccountCatalog.ForSandbox(configuration, adapter.Platform)
                        : AccountCatalog.FromConfiguration(configuration, adapter.Platform);
                    List<ValidationProblem> problems = [.. unreadable, .. adapter.Validate(content, account)];
                    return new Preview(adapter.Platform, adapter.Render(content, account), problems, images.Describe(adapter, content, account, problems));
                })
                .ToList();

            if (asJson)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(previews.Select(ToJson), Json));
            }
            else
            {
                if (sandbox)
                {
                    reporter.Line("For the sandbox's accounts: what `post --sandbox` would send, against the limits the sandbox enforces.");
                    reporter.Line();
                }

                previews.ForEach(p => Print(p, reporter));
            }

            return HeraldCommandLine.Ok;
        }
        catch (ContentValidationException ex)
        {
            foreach (var problem in ex.Problems)
            {
                reporter.Error(problem.ToString());
            }

            return HeraldCommandLine.BadInput;
        }
        catch (Exception ex) when (ex is CliInputException or UnknownPlatformException)
        {
            reporter.Error(ex);
            return HeraldCommandLine.BadInput;
        }
    }

    private sealed record Preview(
        PlatformDescriptor Platform, RenderedPayload Payload, IReadOnlyList<ValidationProblem> Problems, IReadOnlyList<ImagePreview> Images);

    private static void Print(Preview preview, Reporter reporter)
    {
        var (platform, payload) = (preview.Platform, preview.Payload);
        reporter.Line($"{platform.DisplayName} ({platform.Id}) · {payload.Endpoint ?? "draft to post by hand"} · {payload.MediaType}" +
            (payload.Parts.Count > 1 ? $" · thread of {payload.Parts.Count} parts" : ""));
        if (payload.Parts.Count == 0)
        {
            reporter.Block("payload", payload.Body);
        }

        for (var i = 0; i < payload.Parts.Count; i++)
        {
            var part = payload.Parts[i];
            var counts = $"{part.Count}/{part.Limit} {part.Unit}" +
                (part.Secondary is { } second ? $", {second.Count}/{second.Limit} {second.Unit}" : "") +
                (Fits(part) ? "" : " — over the limit");
            reporter.Block(payload.Parts.Count > 1 ? $"part {i + 1}/{payload.Parts.Count} · {counts}" : counts, part.Text);
        }

        PreviewImages.Print(preview.Images, reporter);
        // An image's own refusals are shown with it.
        foreach (var problem in preview.Problems.Where(p => !PreviewImages.IsAboutAnImage(p)))
        {
            reporter.Line($"  ! would be refused: {problem}");
        }

        reporter.Line();
    }

    private static bool Fits(RenderedPart part) =>
        part.Count <= part.Limit && (part.Secondary is not { } second || second.Count <= second.Limit);

    private static object ToJson(Preview preview) => new
    {
        platform = preview.Platform.Id,
        endpoint = preview.Payload.Endpoint,
        mediaType = preview.Payload.MediaType,
        body = preview.Payload.Body,
        parts = preview.Payload.Parts.Select((part, index) => new
        {
            index = index + 1,
            text = part.Text,
            count = part.Count,
            limit = part.Limit,
            unit = part.Unit,
            fits = Fits(part),
            secondary = part.Secondary is { } second ? new { count = second.Count, limit = second.Limit, unit = second.Unit } : null,
            body = part.Body,
            facets = part.Facets.Select(f => new { kind = f.Kind, byteStart = f.ByteStart, byteEnd = f.ByteEnd, value = f.Value }),
        }),
        problems = preview.Problems.Select(p => new { field = p.Field, rule = p.Message }),
        images = preview.Images,
    };
}
