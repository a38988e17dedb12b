using System.Text.Json;

namespace Herald.Cli.Tests;

/// <summary>
/// Issue 14: <c>herald preview --to x,bluesky --json</c> reports the counts the platforms' reference implementations
/// give (the counting fixture, docs/counting.md) — what a user sees before posting is what X and Bluesky will count.
/// </summary>
public sealed class PreviewConformanceTests
{
    /// <summary>Every n-th fixture string is previewed: each run of the command builds Herald's services anew.</summary>
    private const int Every = 45;

    [Fact]
    public async Task PreviewJson_SampleOfFixtureStrings_CountsAndFacetsAreTheReferences()
    {
        using var fixture = JsonDocument.Parse(await File.ReadAllTextAsync(
            Path.Combine(CliRun.RepositoryRoot, "tests", "Herald.Platforms.Tests", "Conformance", "counting-fixture.json")));
        var sample = fixture.RootElement.GetProperty("entries").EnumerateArray()
            .Where((_, index) => index % Every == 0)
            .Where(OnePostAsWritten)
            .ToList();
        using var run = new CliRun();
        var misses = new List<string>();

        foreach (var (entry, index) in sample.Select((entry, index) => (entry, index)))
        {
            var text = entry.GetProperty("text").GetString()!;
            var file = run.WriteFile($"sample-{index}.md", "---\ntype: post\n---\n" + text + "\n");

            var (exitCode, output, error) = await run.InvokeAsync("preview", file, "--to", "x,bluesky", "--json");

            Assert.True(exitCode == 0, $"{JsonSerializer.Serialize(text)}: {error}");
            using var preview = JsonDocument.Parse(output);
            var x = Assert.Single(preview.RootElement.EnumerateArray(), p => p.GetProperty("platform").GetString() == "x");
            var bluesky = Assert.Single(preview.RootElement.EnumerateArray(), p => p.GetProperty("platform").GetString() == "bluesky");
            var xPart = Assert.Single(x.GetProperty("parts").EnumerateArray());
            var blueskyPart = Assert.Single(bluesky.GetProperty("parts").EnumerateArray());
            Assert.Equal(text, xPart.GetProperty("text").GetString());
            Assert.Equal(text, blueskyPart.GetProperty("text").GetString());

            var reference = (
                X: entry.GetProperty("x").GetProperty("weightedLength").GetInt32(),
                Graphemes: entry.GetProperty("bluesky").GetProperty("graphemes").GetInt32(),
                Bytes: entry.GetProperty("bluesky").GetProperty("utf8Bytes").GetInt32(),
                Facets: Ranges(entry.GetProperty("bluesky").GetProperty("facets")));
            var herald = (
                X: xPart.GetProperty("count").GetInt32(),
                Graphemes: blueskyPart.GetProperty("count").GetInt32(),
                Bytes: blueskyPart.GetProperty("secondary").GetProperty("count").GetInt32(),
                Facets: Ranges(blueskyPart.GetProperty("facets")));
            if (reference != herald)
            {
                misses.Add($"{JsonSerializer.Serialize(text)}: preview {herald}, references {reference}");
            }
        }

        Assert.True(sample.Count >= 60, $"only {sample.Count} fixture strings previewed");
        Assert.True(misses.Count == 0, $"{misses.Count} of {sample.Count} previews differ from the fixture:\n{string.Join("\n", misses)}");
    }

    /// <summary>
    /// A string Herald posts as written in one post on both platforms: a post's text is trimmed, a file's CRLF line
    /// ends are read as LF, and a text over a limit becomes a thread, whose parts the fixture does not count.
    /// </summary>
    private static bool OnePostAsWritten(JsonElement entry)
    {
        var text = entry.GetProperty("text").GetString()!;
        var bluesky = entry.GetProperty("bluesky");
        return text.Length > 0 && text == text.Trim() && !text.Contains('\r', StringComparison.Ordinal) &&
               entry.GetProperty("x").GetProperty("weightedLength").GetInt32() <= 280 &&
               bluesky.GetProperty("graphemes").GetInt32() <= 300 && bluesky.GetProperty("utf8Bytes").GetInt32() <= 3000;
    }

    private static string Ranges(JsonElement facets) =>
        string.Join(", ", facets.EnumerateArray().Select(f => $"{f.GetProperty("kind").GetString()} {f.GetProperty("byteStart").GetInt32()}-{f.GetProperty("byteEnd").GetInt32()}"));
}
