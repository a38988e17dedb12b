using System.Text;
using System.Text.RegularExpressions;

using Herald.Formatting.Text;
using Herald.Platforms.Bluesky;
using Herald.Platforms.X;

namespace Herald.Platforms.Tests.Conformance;

/// <summary>
/// Issue 14: Herald counts exactly as X and Bluesky do. Every string of the committed fixture is counted by Herald and
/// compared with what twitter-text 3 and @atproto/api said about it when the fixture was written (docs/counting.md).
/// </summary>
public sealed partial class CountingConformanceTests
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
            var expected = entry.X.Entities.Where(entity => !entity.StartsWith("cashtag ", StringComparison.Ordinal));
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

    [Fact]
    public void BlueskyFacets_EveryFixtureString_RecordFacetsKeepTheLexiconRules()
    {
        // app.bsky.richtext.facet: byte ranges inside the text on character boundaries, a link's uri in the lexicon's
        // uri format, a tag of 1 to 64 graphemes and at most 640 bytes, a mention's did in did syntax.
        CountingFixture.AssertAgreement("Bluesky record facets", entry =>
        {
            var bytes = Encoding.UTF8.GetBytes(entry.Text);
            var facets = BlueskyFacets.ToRecord(BlueskyFacets.Find(entry.Text), new Dictionary<string, string>(), _ => "did:plc:ewvi7nxzyoun6zhxrhs64oiz");
            foreach (var facet in facets)
            {
                var (start, end) = (facet.Index.ByteStart, facet.Index.ByteEnd);
                if (start < 0 || start > end || end > bytes.Length || IsContinuation(bytes, start) || IsContinuation(bytes, end))
                {
                    return $"byte range {start}-{end} is not a range of the text's {bytes.Length} bytes";
                }

                var feature = facet.Features.Single();
                var problem = feature.Type switch
                {
                    BlueskyFacetFeature.LinkType when !LexiconUri().IsMatch(feature.Uri!) => $"uri {feature.Uri} is not a lexicon uri",
                    BlueskyFacetFeature.TagType when feature.Tag!.Length == 0 || Graphemes.Count(feature.Tag) > 64 || Encoding.UTF8.GetByteCount(feature.Tag) > 640 =>
                        $"tag {feature.Tag} breaks the 64-grapheme / 640-byte rule",
                    BlueskyFacetFeature.MentionType when !LexiconDid().IsMatch(feature.Did!) => $"did {feature.Did} is not a did",
                    _ => null,
                };
                if (problem is not null)
                {
                    return problem;
                }
            }

            return null;
        });
    }

    private static bool IsContinuation(byte[] bytes, int offset) => offset < bytes.Length && (bytes[offset] & 0xC0) == 0x80;

    // @atproto/lexicon's uri format, with JavaScript's \w and \s spelled out.
    [GeneratedRegex(@"^[A-Za-z0-9_]+:(?://)?[^\t\n\v\f\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF/][^\t\n\v\f\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF]*\z")]
    private static partial Regex LexiconUri();

    [GeneratedRegex(@"^did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]\z")]
    private static partial Regex LexiconDid();

    private static string? Differ(IEnumerable<string> expected, IEnumerable<string> actual)
    {
        var want = string.Join(", ", expected);
        var got = string.Join(", ", actual);
        return want == got ? null : $"Herald [{got}], reference [{want}]";
    }
}
