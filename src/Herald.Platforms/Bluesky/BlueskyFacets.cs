using System.Text;
using Herald.Formatting.Text;

namespace Herald.Platforms.Bluesky;

/// <summary>A link, mention or hashtag of a post with its UTF-8 byte range; a mention still names its handle.</summary>
/// <param name="Kind"><c>link</c>, <c>mention</c> or <c>tag</c>.</param>
/// <param name="ByteStart">The UTF-8 offset of its first byte.</param>
/// <param name="ByteEnd">The UTF-8 offset just past its last byte.</param>
/// <param name="Value">The link's URI, the mention's handle (without <c>@</c>) or the tag (without <c>#</c>).</param>
internal sealed record BlueskyFacetSpan(string Kind, int ByteStart, int ByteEnd, string Value)
{
    public const string Link = "link";
    public const string Mention = "mention";
    public const string Tag = "tag";
}

/// <summary>
/// Finds the rich-text facets of a post (docs/platforms.md, Bluesky, "facets"): Bluesky detects nothing itself, so links,
/// mentions and hashtags are plain text unless the record says where they are, in UTF-8 byte offsets.
/// </summary>
internal static class BlueskyFacets
{
    /// <summary>A tag is at most 64 graphemes (docs/platforms.md, Bluesky); a longer hashtag stays text.</summary>
    private const int MaxTagGraphemes = 64;

    /// <summary>
    /// The facets of <paramref name="text"/>, in order: links (a bare domain gets <c>https://</c>), mentions of
    /// Bluesky handles (a domain name: <c>@alice.bsky.social</c>; <c>@alice</c> or <c>@alice@server</c> are not
    /// handles and stay text), and hashtags.
    /// </summary>
    public static IReadOnlyList<BlueskyFacetSpan> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<BlueskyFacetSpan>();
        foreach (var entity in TextEntities.Extract(text))
        {
            var start = Encoding.UTF8.GetByteCount(text.AsSpan(0, entity.Start));
            var end = start + Encoding.UTF8.GetByteCount(text.AsSpan(entity.Start, entity.Length));
            switch (entity.Kind)
            {
                case TextEntityKind.Url:
                    spans.Add(new BlueskyFacetSpan(BlueskyFacetSpan.Link, start, end, entity.HasProtocol ? entity.Value : "https://" + entity.Value));
                    break;
                case TextEntityKind.Mention when entity.Value.Contains('.') && !entity.Value.Contains('@'):
                    spans.Add(new BlueskyFacetSpan(BlueskyFacetSpan.Mention, start, end, entity.Value.ToLowerInvariant()));
                    break;
                case TextEntityKind.Hashtag when TextCounter.Graphemes(entity.Value) <= MaxTagGraphemes:
                    spans.Add(new BlueskyFacetSpan(BlueskyFacetSpan.Tag, start, end, entity.Value));
                    break;
            }
        }

        return spans;
    }

    /// <summary>
    /// The record's facets. A mention whose handle has no DID in <paramref name="dids"/> gets
    /// <paramref name="unresolved"/>'s answer: a placeholder in a preview, or nothing (plain text) when sending.
    /// </summary>
    public static IReadOnlyList<BlueskyFacet> ToRecord(
        IReadOnlyList<BlueskyFacetSpan> spans, IReadOnlyDictionary<string, string> dids, Func<string, string?> unresolved)
    {
        var facets = new List<BlueskyFacet>(spans.Count);
        foreach (var span in spans)
        {
            BlueskyFacetFeature? feature = span.Kind switch
            {
                BlueskyFacetSpan.Link => new BlueskyFacetFeature { Type = BlueskyFacetFeature.LinkType, Uri = span.Value },
                BlueskyFacetSpan.Tag => new BlueskyFacetFeature { Type = BlueskyFacetFeature.TagType, Tag = span.Value },
                _ => (dids.TryGetValue(span.Value, out var did) ? did : unresolved(span.Value)) is { } mentioned
                    ? new BlueskyFacetFeature { Type = BlueskyFacetFeature.MentionType, Did = mentioned }
                    : null,
            };
            if (feature is not null)
            {
                facets.Add(new BlueskyFacet(new BlueskyByteSlice(span.ByteStart, span.ByteEnd), [feature]));
            }
        }

        return facets;
    }
}
