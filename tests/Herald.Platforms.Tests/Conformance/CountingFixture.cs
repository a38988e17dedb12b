using System.Text;
using System.Text.Json;

using Herald.Testing;

namespace Herald.Platforms.Tests.Conformance;

/// <summary>
/// The counting fixture written by scripts/conformance from twitter-text and @atproto/api (docs/counting.md):
/// what the platforms' own reference implementations say about each of a few thousand mixed-script strings.
/// </summary>
internal sealed record CountingFixture(int Seed, IReadOnlyDictionary<string, string> References, IReadOnlyList<CountingFixtureEntry> Entries)
{
    public static CountingFixture Instance { get; } = Load();

    private static CountingFixture Load()
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "Herald.Platforms.Tests", "Conformance", "counting-fixture.json");
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<CountingFixture>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))
               ?? throw new InvalidOperationException($"{path} is empty; regenerate it with scripts/conformance.");
    }

    /// <summary>The text repeated, a space between, until it needs about three posts.</summary>
    public static string Stretch(string text)
    {
        var builder = new StringBuilder(text);
        while (builder.Length < 700)
        {
            builder.Append(' ').Append(text);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Checks <paramref name="disagreement"/> on every entry and fails once, naming how many disagree and the first 20.
    /// </summary>
    /// <param name="what">What is compared, for the message.</param>
    /// <param name="disagreement">Null when Herald agrees with the reference, else what differs.</param>
    /// <param name="every">Checks every n-th entry only, for checks too slow to run on all of them.</param>
    public static void AssertAgreement(string what, Func<CountingFixtureEntry, string?> disagreement, int every = 1)
    {
        var entries = Instance.Entries.Where((_, index) => index % every == 0).ToList();
        var misses = entries
            .Select((entry, index) => (index, entry, difference: disagreement(entry)))
            .Where(miss => miss.difference is not null)
            .ToList();
        if (misses.Count == 0)
        {
            return;
        }

        var agreement = 100.0 * (entries.Count - misses.Count) / entries.Count;
        var shown = misses.Take(20).Select(miss => $"  #{miss.index} {JsonSerializer.Serialize(miss.entry.Text)}: {miss.difference}");
        Assert.Fail(
            $"{what}: {misses.Count} of {entries.Count} fixture strings disagree with the reference " +
            $"({agreement:F2}% agreement); the first {Math.Min(20, misses.Count)}:\n{string.Join("\n", shown)}");
    }
}

internal sealed record CountingFixtureEntry(string Text, XReference X, BlueskyReference Bluesky);

/// <summary>X's count and entities; each entity is "kind start-end": url, mention, hashtag or cashtag at UTF-16 [start, end).</summary>
internal sealed record XReference(int WeightedLength, bool Valid, IReadOnlyList<string> Entities);

internal sealed record BlueskyReference(int Graphemes, int Utf8Bytes, IReadOnlyList<BlueskyFacetReference> Facets);

/// <summary>A facet from <c>RichText.detectFacetsWithoutResolution</c>: kind link, mention or tag, at UTF-8 bytes.</summary>
internal sealed record BlueskyFacetReference(string Kind, int ByteStart, int ByteEnd, string Value);
