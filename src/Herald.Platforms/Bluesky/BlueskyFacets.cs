using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
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
/// mentions and hashtags are plain text unless the record says where they are, in UTF-8 byte offsets. Detection follows
/// the Bluesky app's own (<c>RichText.detectFacets</c> of @atproto/api, docs/counting.md) rule for rule, so that a
/// post from Herald links exactly what the same text typed into the app would.
/// </summary>
internal static partial class BlueskyFacets
{
    /// <summary>A tag is at most 64 graphemes (docs/platforms.md, Bluesky); a longer hashtag stays text.</summary>
    private const int MaxTagGraphemes = 64;

    // JavaScript's \s: the Zs spaces, the ASCII controls tab to carriage return, the line separators and U+FEFF.
    private const string Space = @"[\t\n\v\f\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF]";
    private const string NotSpace = @"[^\t\n\v\f\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF]";

    // MENTION_REGEX /(^|\s|\()(@)([a-zA-Z0-9.-]+)(\b)/g, with JavaScript's ASCII word boundary spelled out.
    [GeneratedRegex(@"(?:^|" + Space + @"|\()@(?<handle>[a-zA-Z0-9.-]+)(?:(?<=[A-Za-z0-9_])(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])(?=[A-Za-z0-9_]))")]
    private static partial Regex MentionPattern();

    // URL_REGEX /(^|\s|\()((https?:\/\/[\S]+)|((?<domain>[a-z][a-z0-9]*(\.[a-z0-9]+)+)[\S]*))/gim; the i flag is
    // spelled out so that no case folding beyond ASCII sneaks in.
    [GeneratedRegex(@"(?:^|" + Space + @"|\()(?<uri>(?<protocol>[hH][tT][tT][pP][sS]?://" + NotSpace + @"+)|(?<domain>[a-zA-Z][a-zA-Z0-9]*(?:\.[a-zA-Z0-9]+)+)" + NotSpace + @"*)", RegexOptions.Multiline)]
    private static partial Regex LinkPattern();

    // CASHTAG_REGEX /(^|\s|\()\$([A-Za-z][A-Za-z0-9]{0,4})(?=\s|$|[.,;:!?)"'\u2019])/gu
    [GeneratedRegex(@"(?:^|" + Space + @"|\()\$(?<ticker>[A-Za-z][A-Za-z0-9]{0,4})(?=" + Space + @"|\z|[.,;:!?)""'\u2019])")]
    private static partial Regex CashtagPattern();

    // @atproto/lexicon's uri format, /^\w+:(?:\/\/)?[^\s/][^\s]*$/.
    [GeneratedRegex(@"^[A-Za-z0-9_]+:(?://)?[^\t\n\v\f\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF/]" + NotSpace + @"*\z")]
    private static partial Regex LexiconUri();

    // TAG_REGEX's start, /(^|\s)[#＃]/; the tag's body is read by hand, code point by code point, as its u flag does.
    [GeneratedRegex(@"(?:^|" + Space + @")[#＃]")]
    private static partial Regex HashPattern();

    /// <summary>
    /// The facets of <paramref name="text"/>, ordered by where they start: mentions of Bluesky handles (a name ending
    /// in a known top-level domain, or in <c>.test</c>), links (a bare domain gets <c>https://</c>), hashtags and
    /// cashtags (a tag <c>$TICKER</c>).
    /// </summary>
    public static IReadOnlyList<BlueskyFacetSpan> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<BlueskyFacetSpan>();
        foreach (Match match in MentionPattern().Matches(text))
        {
            var handle = match.Groups["handle"];
            if (BlueskyTopLevelDomains.IsValidDomain(handle.Value) || handle.Value.EndsWith(".test", StringComparison.Ordinal))
            {
                spans.Add(new BlueskyFacetSpan(BlueskyFacetSpan.Mention, Utf8At(text, handle.Index - 1), Utf8At(text, handle.Index + handle.Length), handle.Value.ToLowerInvariant()));
            }
        }

        foreach (Match match in LinkPattern().Matches(text))
        {
            var uriGroup = match.Groups["uri"];
            var uri = uriGroup.Value;
            if (!uri.StartsWith("http", StringComparison.Ordinal))
            {
                // "HTTPS://…" matched the protocol branch, so it has no domain group: the app leaves it as text.
                var domain = match.Groups["domain"];
                if (!domain.Success || !BlueskyTopLevelDomains.IsValidDomain(domain.Value))
                {
                    continue;
                }

                uri = "https://" + uri;
            }

            var end = uriGroup.Index + uriGroup.Length;
            if (uri[^1] is '.' or ',' or ';' or ':' or '!' or '?')
            {
                uri = uri[..^1];
                end--;
            }

            if (uri[^1] == ')' && !uri.Contains('(', StringComparison.Ordinal))
            {
                uri = uri[..^1];
                end--;
            }

            spans.Add(new BlueskyFacetSpan(BlueskyFacetSpan.Link, Utf8At(text, uriGroup.Index), Utf8At(text, end), uri));
        }

        for (var position = 0; HashPattern().Match(text, position) is { Success: true } match;)
        {
            var body = match.Index + match.Length;
            var runEnd = RunEnd(text, body);
            var length = TagLength(text, body, runEnd);
            if (length > 0 && (length <= MaxTagGraphemes || TextCounter.Graphemes(text.Substring(body, length)) <= MaxTagGraphemes))
            {
                spans.Add(new BlueskyFacetSpan(BlueskyFacetSpan.Tag, Utf8At(text, body - 1), Utf8At(text, body + length), text.Substring(body, length)));
            }

            // The pattern goes on after the tag's whole run, trailing punctuation included, or after a lone '#'.
            position = length > 0 ? runEnd : body;
        }

        foreach (Match match in CashtagPattern().Matches(text))
        {
            var ticker = match.Groups["ticker"];
            spans.Add(new BlueskyFacetSpan(BlueskyFacetSpan.Tag, Utf8At(text, ticker.Index - 1), Utf8At(text, ticker.Index + ticker.Length), "$" + ticker.Value.ToUpperInvariant()));
        }

        // Array.prototype.sort is stable: facets that start together keep the order above.
        return [.. spans.OrderBy(span => span.ByteStart)];
    }

    /// <summary>The facets of <paramref name="text"/> as <see cref="TextEntity"/> ranges of its UTF-16 code units.</summary>
    public static IReadOnlyList<TextEntity> Entities(string text)
    {
        var spans = Find(text);
        if (spans.Count == 0)
        {
            return [];
        }

        // UTF-8 offset → UTF-16 index, for every code point start (facets start and end on code points).
        var indices = new Dictionary<int, int>();
        var bytes = 0;
        for (var index = 0; index < text.Length;)
        {
            indices[bytes] = index;
            var length = char.IsSurrogatePair(text, index) ? 2 : 1;
            bytes += Encoding.UTF8.GetByteCount(text.AsSpan(index, length));
            index += length;
        }

        indices[bytes] = text.Length;
        return [.. spans.Select(span => new TextEntity(
            span.Kind switch { BlueskyFacetSpan.Link => TextEntityKind.Url, BlueskyFacetSpan.Mention => TextEntityKind.Mention, _ => TextEntityKind.Hashtag },
            indices[span.ByteStart],
            indices[span.ByteEnd],
            span.Value))];
    }

    /// <summary>The UTF-8 offset of the UTF-16 <paramref name="index"/> of <paramref name="text"/>.</summary>
    private static int Utf8At(string text, int index) => Encoding.UTF8.GetByteCount(text.AsSpan(0, index));

    /// <summary>
    /// Where the run of characters a tag may hold ends: at the first JavaScript space or invisible separator (soft
    /// hyphen, word joiner, hair space, zero-width space and joiners, U+20E2).
    /// </summary>
    private static int RunEnd(string text, int start)
    {
        var end = start;
        while (end < text.Length && !IsTagSeparator(text[end]))
        {
            end++;
        }

        return end;
    }

    private static bool IsTagSeparator(char c) =>
        c is '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00A0' or '\u1680' or (>= '\u2000' and <= '\u200D') or
            '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' or '\uFEFF' or '\u00AD' or '\u2060' or '\u20E2';

    /// <summary>
    /// The length of the tag in the run [<paramref name="start"/>, <paramref name="end"/>): the run without its trailing
    /// punctuation, or 0 when the run starts with VS16 (a "#️⃣" keycap) or holds only digits and punctuation.
    /// </summary>
    private static int TagLength(string text, int start, int end)
    {
        if (start == end || text[start] == '\uFE0F')
        {
            return 0;
        }

        var hasWord = false;
        var length = 0;
        for (var position = start; position < end;)
        {
            Rune.DecodeFromUtf16(text.AsSpan(position, end - position), out var rune, out var size);
            position += size;
            if (!IsPunctuation(rune))
            {
                hasWord |= rune.Value is not (>= '0' and <= '9');
                length = position - start;
            }
        }

        return hasWord ? length : 0;
    }

    private static bool IsPunctuation(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or
        UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or
        UnicodeCategory.OtherPunctuation;

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
                // The app links "http:///x" too, but the lexicon's uri format refuses it and the whole post with it.
                BlueskyFacetSpan.Link when !LexiconUri().IsMatch(span.Value) => null,
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
