using Herald.Formatting.Text;
using Herald.Platforms.Bluesky;
using Herald.Platforms.X;

namespace Herald.Platforms.Tests.Conformance;

/// <summary>
/// Issue 14: Herald counts exactly as X and Bluesky do. Every string of the committed fixture is counted by Herald and
/// compared with what twitter-text 3 and @atproto/api said about it when the fixture was written (docs/counting.md).
/// </summary>
public sealed class CountingConformanceTests
{
    [Fact]
    public void Fixture_HasAtLeast3000Strings()
    {
        Assert.True(CountingFixture.Instance.Entries.Count >= 3000, $"{CountingFixture.Instance.Entries.Count} strings");
    }

    [Fact]
    public void XCount_EveryFixtureString_MatchesTwitterTextWeightedLengthAndValidity()
    {
        CountingFixture.AssertAgreement("X weighted length", entry =>
        {
            var count = XTextCounter.Instance.Count(entry.Text);
            return count.Count == entry.X.WeightedLength && count.IsValid == entry.X.Valid
                ? null
                : $"Herald {count.Count} (valid {count.IsValid}), twitter-text {entry.X.WeightedLength} (valid {entry.X.Valid})";
        });
    }

    [Fact]
    public void TextEntities_EveryFixtureString_FindsTwitterTextsUrlsMentionsAndHashtags()
    {
        CountingFixture.AssertAgreement("X entities", entry =>
        {
            var expected = entry.X.Entities.Where(entity => entity.Kind != "cashtag").Select(entity => $"{entity.Kind} {entity.Start}-{entity.End}");
            var actual = TextEntities.Extract(entry.Text).Select(entity => $"{entity.Kind.ToString().ToLowerInvariant()} {entity.Start}-{entity.End}");
            return Differ(expected, actual);
        });
    }

    [Fact]
    public void BlueskyCount_EveryFixtureString_MatchesAtprotoGraphemesAndBytes()
    {
        CountingFixture.AssertAgreement("Bluesky graphemes and bytes", entry =>
        {
            var count = BlueskyTextCounter.Instance.Count(entry.Text);
            var bytes = count.Measure(TextUnits.Utf8Bytes)!.Count;
            return count.Count == entry.Bluesky.Graphemes && bytes == entry.Bluesky.Utf8Bytes
                ? null
                : $"Herald {count.Count} graphemes {bytes} bytes, @atproto/api {entry.Bluesky.Graphemes} graphemes {entry.Bluesky.Utf8Bytes} bytes";
        });
    }

    [Fact]
    public void BlueskyFacets_EveryFixtureString_MatchAtprotoDetectedFacets()
    {
        CountingFixture.AssertAgreement("Bluesky facets", entry =>
        {
            // Herald keeps a mention's handle in lower case, the form it resolves to a DID (handles ignore case).
            var expected = entry.Bluesky.Facets.Select(facet =>
                $"{facet.Kind} {facet.ByteStart}-{facet.ByteEnd} {(facet.Kind == BlueskyFacetSpan.Mention ? facet.Value.ToLowerInvariant() : facet.Value)}");
            var actual = BlueskyFacets.Find(entry.Text).Select(span => $"{span.Kind} {span.ByteStart}-{span.ByteEnd} {span.Value}");
            return Differ(expected, actual);
        });
    }

    private static string? Differ(IEnumerable<string> expected, IEnumerable<string> actual)
    {
        var want = string.Join(", ", expected);
        var got = string.Join(", ", actual);
        return want == got ? null : $"Herald [{got}], reference [{want}]";
    }
}
