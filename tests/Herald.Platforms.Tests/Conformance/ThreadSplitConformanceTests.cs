using Herald.Formatting.Text;
using Herald.Platforms.Bluesky;
using Herald.Platforms.X;

namespace Herald.Platforms.Tests.Conformance;

/// <summary>
/// Issue 14, thread splitting: every fixture string, stretched to several posts, is cut into parts that each fit by the
/// platform's count (which agrees with the reference on the whole fixture), at grapheme boundaries and never inside a
/// link, mention or hashtag as the platform finds them.
/// </summary>
public sealed class ThreadSplitConformanceTests
{
    private static readonly ThreadSplitOptions Unnumbered = new() { Numbering = false };

    [Fact]
    public void Split_StretchedFixtureStringsForX_PartsFitAndNoCutInsideAGraphemeOrEntity()
    {
        // Every 16th string: splitting for X counts each candidate part with twitter-text's full rules, and all 3,600
        // take minutes (every string passed when this test was written).
        CountingFixture.AssertAgreement(
            "X thread parts",
            entry => CheckSplit(CountingFixture.Stretch(entry.Text), XTextCounter.Instance, text => TextEntities.Extract(text).Select(entity => (entity.Start, entity.End))),
            every: 16);
    }

    [Fact]
    public void Split_EveryStretchedFixtureStringForBluesky_PartsFitAndNoCutInsideAGraphemeOrFacet()
    {
        CountingFixture.AssertAgreement("Bluesky thread parts", entry =>
            CheckSplit(CountingFixture.Stretch(entry.Text), BlueskyTextCounter.Instance, FacetRanges));
    }

    private static string? CheckSplit(string text, ITextCounter counter, Func<string, IEnumerable<(int Start, int End)>> entities)
    {
        var split = ThreadSplitter.Split(text, counter, Unnumbered);
        if (!split.Succeeded)
        {
            // Only an entity longer than a whole post may refuse to split.
            return entities(text).Any(range => !counter.Count(text[range.Start..range.End]).IsWithinLimit) ? null : $"not split: {split.Error}";
        }

        var boundaries = GraphemeBoundaries(text);
        var ranges = entities(text).ToList();
        var position = 0;
        for (var i = 0; i < split.Parts.Count; i++)
        {
            var part = split.Parts[i];
            var count = counter.Count(part);
            if (!count.IsWithinLimit)
            {
                return $"part {i + 1} is over the limit: {count}";
            }

            var start = text.IndexOf(part, position, StringComparison.Ordinal);
            if (start < 0 || !string.IsNullOrWhiteSpace(text[position..start]) && start != position)
            {
                return $"part {i + 1} is not the next stretch of the text";
            }

            foreach (var cut in new[] { start, start + part.Length })
            {
                // A cut at whitespace drops the whitespace: " 🏻" is one cluster, but a part may still start at its 🏻.
                if (!boundaries.Contains(cut) && !(cut == start && cut > 0 && char.IsWhiteSpace(text[cut - 1])))
                {
                    return $"part {i + 1} is cut inside a grapheme at {cut}";
                }

                if (ranges.FirstOrDefault(range => cut > range.Start && cut < range.End) is { End: > 0 } inside)
                {
                    return $"part {i + 1} is cut at {cut}, inside {JsonText(text[inside.Start..inside.End])}";
                }
            }

            position = start + part.Length;
        }

        return string.IsNullOrWhiteSpace(text[position..]) ? null : "the parts leave text out";
    }

    private static HashSet<int> GraphemeBoundaries(string text)
    {
        var boundaries = new HashSet<int> { 0 };
        for (var position = 0; position < text.Length;)
        {
            position += Graphemes.NextLength(text.AsSpan(position));
            boundaries.Add(position);
        }

        return boundaries;
    }

    private static IEnumerable<(int Start, int End)> FacetRanges(string text) =>
        BlueskyFacets.Entities(text).Select(entity => (entity.Start, entity.End));

    private static string JsonText(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
