using Herald.Platforms;

namespace Herald.Cli.Output;

/// <summary>
/// Writes the CLI's progress and results: one line per platform as it happens, plain text (no escape codes). With
/// <paramref name="json"/> the lines for people are left out and stdout carries only <see cref="Json"/>'s document.
/// </summary>
internal sealed class Reporter(TextWriter output, TextWriter error, bool json = false)
{
    private readonly TextWriter _human = json ? TextWriter.Null : output;

    private const int PlatformColumn = 10;

    public void Line(string text = "") => _human.WriteLine(text);

    /// <summary>A target starts: <paramref name="label"/> is its platform (<c>x</c>) or, among several, its account (<c>x:work</c>).</summary>
    public void Started(string label) => _human.WriteLine($"  {Pad(label)}publishing…");

    /// <summary>Progress of a thread, on stderr so that what stdout says stays the same whatever the thread's length.</summary>
    public void Part(string label, int sent, int total)
    {
        if (!json)
        {
            error.WriteLine($"  {Pad(label)}part {sent} of {total} sent");
        }
    }

    /// <summary>The machine-readable result, written only when the command was given <c>--json</c>.</summary>
    public void Json(object document)
    {
        if (json)
        {
            output.WriteLine(System.Text.Json.JsonSerializer.Serialize(document, PublicationJson.Options));
        }
    }

    public void Result(string label, PlatformDescriptor platform, PublishOutcome outcome, string publicationId, DateTimeOffset? nextAttempt)
    {
        var line = outcome.Kind switch
        {
            PublishOutcomeKind.Published => $"✓ published  {outcome.Url}",
            PublishOutcomeKind.ManualActionRequired => "✎ draft ready (below): post it by hand, then run: " +
                $"herald posted {publicationId} --url <its URL>",
            _ when nextAttempt is { } at => $"✗ {Describe(outcome.Kind)}: {outcome.Error} — retry due at {at:yyyy-MM-dd HH:mm:ss} UTC",
            _ => $"✗ {Describe(outcome.Kind)}: {outcome.Error}",
        };
        _human.WriteLine($"  {Pad(label)}{line}");
        if (outcome.Kind == PublishOutcomeKind.ManualActionRequired && outcome.Draft is not null)
        {
            Block($"{platform.DisplayName} draft", outcome.Draft);
        }
    }

    public void Block(string title, string text)
    {
        _human.WriteLine($"  ┌─ {title} ─");
        foreach (var line in text.Split('\n'))
        {
            _human.WriteLine($"  │ {line}");
        }

        _human.WriteLine("  └─");
    }

    public void Error(string message) => error.WriteLine($"error: {message}");

    /// <summary>The exception's message without .NET's parameter names.</summary>
    public void Error(Exception exception) => Error(CliMessage.Of(exception));

    /// <summary>Something the user should know that does not stop the command.</summary>
    public void Warning(string message) => error.WriteLine($"warning: {message}");

    /// <summary>The label in its column, with at least one space after a long one (<c>mastodon:work</c>).</summary>
    public static string Pad(string label) => label.Length < PlatformColumn ? label.PadRight(PlatformColumn) : label + " ";

    private static string Describe(PublishOutcomeKind kind) => kind switch
    {
        PublishOutcomeKind.Transient => "temporary failure",
        PublishOutcomeKind.RateLimited => "rate limited",
        PublishOutcomeKind.Permanent => "failed",
        PublishOutcomeKind.Unknown => "outcome unknown",
        _ => kind.ToString(),
    };
}
