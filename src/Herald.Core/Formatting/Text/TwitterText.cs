using System.Text;
using System.Text.RegularExpressions;

namespace Herald.Formatting.Text;

/// <summary>A twitter-text entity at the UTF-16 range [Start, End); <see cref="Value"/> is what twitter-text calls its text.</summary>
internal readonly record struct TwitterTextEntity(TwitterTextEntityKind Kind, int Start, int End, string Value);

internal enum TwitterTextEntityKind
{
    Url,
    Mention,
    Hashtag,
    Cashtag,
}

/// <summary>
/// A line-by-line port of twitter-text 3's JavaScript extraction and <c>parseTweet</c> (docs/counting.md), over the
/// library's own patterns (TwitterTextPatterns.g.cs, generated from the pinned npm package). X counts with this very
/// code, so porting it rule for rule, quirks included, is what keeps Herald's count equal to X's in every script.
/// </summary>
internal static class TwitterText
{
    private const int MaxUrlLength = 4096;
    private const int MaxTcoSlugLength = 40;
    private const int MaxDomainLabelLength = 63;
    private const string DefaultProtocol = "https://";

    private const int Scale = 100;
    private const int DefaultWeight = 200;
    private const int TransformedUrlLength = 23;

    /// <summary>
    /// How long one search for a URL may take. twitter-text's URL pattern backtracks quadratically on a long run of dotted labels
    /// with no space ("a.a.a.…": 1,000 characters took 13 s, 4,000 over a minute); such a run is not a URL X would
    /// link, and a preview (one per keystroke in the dashboard) or an API call must not spend minutes on it. What the
    /// search found before the budget ran out is kept; the rest of the text counts as plain characters (a URL there
    /// is then counted at its own length, not 23). Real text needs microseconds, so only such runs ever reach it.
    /// </summary>
    // Declared before the patterns, which read it as they are built. Far above what any real text needs (microseconds),
    // so that a busy machine never cuts a real search short.
    private static readonly TimeSpan MatchBudget = TimeSpan.FromSeconds(1);

    private static readonly Regex ExtractUrlPattern = new(TwitterTextPatterns.ExtractUrl, RegexOptions.CultureInvariant, MatchBudget);
    private static readonly Regex InvalidUrlWithoutProtocolPrecedingCharsPattern = Create(TwitterTextPatterns.InvalidUrlWithoutProtocolPrecedingChars);
    private static readonly Regex ValidAsciiDomainPattern = Create(TwitterTextPatterns.ValidAsciiDomain);
    private static readonly Regex ValidTcoUrlPattern = Create(TwitterTextPatterns.ValidTcoUrl);
    private static readonly Regex ValidMentionOrListPattern = Create(TwitterTextPatterns.ValidMentionOrList);
    private static readonly Regex EndMentionMatchPattern = Create(TwitterTextPatterns.EndMentionMatch);
    private static readonly Regex ValidHashtagPattern = Create(TwitterTextPatterns.ValidHashtag);
    private static readonly Regex EndHashtagMatchPattern = Create(TwitterTextPatterns.EndHashtagMatch);
    private static readonly Regex ValidCashtagPattern = Create(TwitterTextPatterns.ValidCashtag);
    private static readonly Regex InvalidCharsPattern = Create(TwitterTextPatterns.InvalidChars);
    private static readonly Regex EmojiPattern = Create(TwitterTextPatterns.Emoji);

    // The patterns carry their case folding themselves (see TwitterTextPatterns.g.cs): no IgnoreCase here.
    private static Regex Create(string pattern) => new(pattern, RegexOptions.CultureInvariant);

    /// <summary>
    /// <c>parseTweet</c> with the v3 configuration: the weighted length in characters, and whether a character X refuses
    /// was seen (twitter-text's <c>valid</c> is then false whatever the length).
    /// </summary>
    public static (int WeightedLength, bool HasInvalidCharacters) ParseTweet(string text)
    {
        var normalized = TextCounter.NormalizeNfc(text);

        // Keyed by start; a later entity at the same start replaces an earlier one, as the JavaScript object does.
        var urls = new Dictionary<int, int>();
        foreach (var url in ExtractUrls(normalized))
        {
            urls[url.Start] = url.Value.Length;
        }

        var emoji = new Dictionary<int, int>();
        foreach (Match match in EmojiPattern.Matches(normalized))
        {
            emoji[match.Index] = match.Length;
        }

        var weighted = 0;
        var valid = true;
        for (var index = 0; index < normalized.Length; index++)
        {
            if (urls.TryGetValue(index, out var urlLength))
            {
                // twitter-text steps over the URL's text, which for a bare domain with a path can differ from its range.
                weighted += TransformedUrlLength * Scale;
                index += urlLength - 1;
            }
            else if (emoji.TryGetValue(index, out var emojiLength))
            {
                weighted += DefaultWeight;
                index += emojiLength - 1;
            }
            else
            {
                index += IsSurrogatePair(normalized, index) ? 1 : 0;
                weighted += CharacterWeight(normalized[index]);
            }

            // Only the last code unit of what was just weighed is checked, as in twitter-text.
            if (valid && index < normalized.Length)
            {
                valid = !InvalidCharsPattern.IsMatch(normalized.AsSpan(index, 1));
            }
        }

        return (weighted / Scale, !valid);
    }

    /// <summary>
    /// <c>extractEntitiesWithIndices</c>: URLs (bare domains too), mentions and lists, hashtags and cashtags, with the
    /// overlapping ones removed (the first to start wins).
    /// </summary>
    public static List<TwitterTextEntity> ExtractEntities(string text)
    {
        var entities = ExtractUrls(text);
        entities.AddRange(ExtractMentionsOrLists(text));
        entities.AddRange(ExtractHashtags(text));
        entities.AddRange(ExtractCashtags(text));
        return RemoveOverlapping(entities);
    }

    /// <summary>The matches of <paramref name="pattern"/> in <paramref name="text"/> found within <see cref="MatchBudget"/> in all.</summary>
    private static IEnumerable<Match> MatchesWithinBudget(Regex pattern, string text)
    {
        // Each search has the budget (the pattern's timeout), and so has the whole text: many slow runs in one long
        // text (a thread) stop at the first that exhausts it.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var match = Next(() => pattern.Match(text));
        while (match is { Success: true })
        {
            yield return match;
            if (clock.Elapsed > MatchBudget)
            {
                yield break;
            }

            match = Next(match.NextMatch);
        }

        static Match? Next(Func<Match> search)
        {
            try
            {
                return search();
            }
            catch (RegexMatchTimeoutException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="text"/> has a dot followed by what could begin a top-level domain. Every URL the pattern
    /// finds has one (its domain ends with a dot and a TLD, and every TLD begins with a letter), so a text without one,
    /// such as prose whose dots all end sentences, needs no search: the URL pattern is large and, interpreted, costs
    /// about a millisecond per post, which the thread splitter, counting thousands of candidate parts, felt as seconds.
    /// Anything that is not whitespace, punctuation or a symbol counts as a possible start, to err on the side of searching.
    /// </summary>
    private static bool MayHoldUrl(string text)
    {
        for (var dot = text.IndexOf('.', StringComparison.Ordinal); dot >= 0 && dot < text.Length - 1; dot = text.IndexOf('.', dot + 1))
        {
            var next = text[dot + 1];
            if (!char.IsWhiteSpace(next) && !char.IsPunctuation(next) && !char.IsSymbol(next))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>extractUrlsWithIndices</c> with <c>extractUrlsWithoutProtocol</c> on (the library's default).</summary>
    public static List<TwitterTextEntity> ExtractUrls(string text)
    {
        var urls = new List<TwitterTextEntity>();
        if (!MayHoldUrl(text))
        {
            return urls;
        }

        foreach (var match in MatchesWithinBudget(ExtractUrlPattern, text))
        {
            var before = match.Groups[2].Value;
            var url = match.Groups[3].Value;
            var protocol = match.Groups[4].Value;
            var domain = match.Groups[5].Value;
            var path = match.Groups[7].Value;
            var endPosition = match.Index + match.Length;
            var startPosition = endPosition - url.Length;

            if (!IsValidUrl(url, protocol.Length > 0 ? protocol : DefaultProtocol, domain))
            {
                continue;
            }

            if (protocol.Length == 0)
            {
                if (InvalidUrlWithoutProtocolPrecedingCharsPattern.IsMatch(before))
                {
                    continue;
                }

                // Only the ASCII-only domains inside the match count: "İstanbulwww.example.com" links "stanbulwww.example.com".
                int? last = null;
                var asciiEndPosition = 0;
                foreach (Match ascii in ValidAsciiDomainPattern.Matches(domain))
                {
                    var asciiStartPosition = domain.IndexOf(ascii.Value, asciiEndPosition, StringComparison.Ordinal);
                    asciiEndPosition = asciiStartPosition + ascii.Length;
                    urls.Add(new TwitterTextEntity(
                        TwitterTextEntityKind.Url, startPosition + asciiStartPosition, startPosition + asciiEndPosition, ascii.Value));
                    last = urls.Count - 1;
                }

                if (last is not { } lastIndex)
                {
                    continue;
                }

                if (path.Length > 0)
                {
                    var lastUrl = urls[lastIndex];
                    urls[lastIndex] = lastUrl with { End = endPosition, Value = ReplaceFirst(url, domain, lastUrl.Value) };
                }
            }
            else
            {
                // A t.co link takes no more path than its slug.
                var tco = ValidTcoUrlPattern.Match(url);
                if (tco.Success)
                {
                    if (tco.Groups[1].Length > MaxTcoSlugLength)
                    {
                        continue;
                    }

                    url = tco.Value;
                    endPosition = startPosition + url.Length;
                }

                urls.Add(new TwitterTextEntity(TwitterTextEntityKind.Url, startPosition, endPosition, url));
            }
        }

        return urls;
    }

    /// <summary><c>extractMentionsOrListsWithIndices</c>: <c>@name</c> and <c>@name/list</c>; the value leaves out the <c>@</c>.</summary>
    public static List<TwitterTextEntity> ExtractMentionsOrLists(string text) =>
        text.AsSpan().IndexOfAny('@', '＠') < 0
            ? []
            : Find(text, ValidMentionOrListPattern, EndMentionMatchPattern, TwitterTextEntityKind.Mention, match => match.Groups[3].Value + match.Groups[4].Value);

    /// <summary><c>extractHashtagsWithIndices</c> without the URL check (entities are checked together); no <c>#</c> in the value.</summary>
    public static List<TwitterTextEntity> ExtractHashtags(string text) =>
        text.AsSpan().IndexOfAny('#', '＃') < 0
            ? []
            : Find(text, ValidHashtagPattern, EndHashtagMatchPattern, TwitterTextEntityKind.Hashtag, match => match.Groups[3].Value);

    /// <summary><c>extractCashtagsWithIndices</c>: <c>$TICKER</c>; the value leaves out the <c>$</c>.</summary>
    public static List<TwitterTextEntity> ExtractCashtags(string text) =>
        !text.Contains('$', StringComparison.Ordinal)
            ? []
            : Find(text, ValidCashtagPattern, endPattern: null, TwitterTextEntityKind.Cashtag, match => match.Groups[3].Value);

    /// <summary>
    /// The shared shape of the three extractors: group 1 is what precedes the sign, <paramref name="value"/> the name
    /// after it, and a match that <paramref name="endPattern"/> finds continued is dropped.
    /// </summary>
    private static List<TwitterTextEntity> Find(
        string text, Regex pattern, Regex? endPattern, TwitterTextEntityKind kind, Func<Match, string> value)
    {
        var entities = new List<TwitterTextEntity>();
        foreach (Match match in pattern.Matches(text))
        {
            if (endPattern is not null && endPattern.IsMatch(text.AsSpan(match.Index + match.Length)))
            {
                continue;
            }

            var name = value(match);
            var start = match.Index + match.Groups[1].Length;
            entities.Add(new TwitterTextEntity(kind, start, start + name.Length + 1, name));
        }

        return entities;
    }

    /// <summary><c>removeOverlappingEntities</c>: ordered by start (stable), an entity that starts inside the previous kept one goes.</summary>
    private static List<TwitterTextEntity> RemoveOverlapping(List<TwitterTextEntity> entities)
    {
        var kept = new List<TwitterTextEntity>(entities.Count);
        foreach (var entity in entities.OrderBy(entity => entity.Start))
        {
            if (kept.Count == 0 || kept[^1].End <= entity.Start)
            {
                kept.Add(entity);
            }
        }

        return kept;
    }

    /// <summary>
    /// <c>isValidUrl</c>: every label of the domain, punycode-encoded, is 1 to 63 characters long, an <c>xn--</c>
    /// domain is plain ASCII, and protocol plus URL fit in 4096 characters.
    /// </summary>
    private static bool IsValidUrl(string url, string protocol, string domain)
    {
        if (domain.StartsWith("xn--", StringComparison.Ordinal) && !ValidAsciiDomainPattern.IsMatch(domain))
        {
            return false;
        }

        foreach (var label in domain.Split('.'))
        {
            var encoded = PunycodeToAsciiLength(label);
            if (encoded is < 1 or > MaxDomainLabelLength)
            {
                return false;
            }
        }

        return protocol.Length + url.Length <= MaxUrlLength;
    }

    /// <summary>
    /// The length of punycode.js's <c>toASCII</c> of <paramref name="label"/>: the text before an <c>@</c> is kept,
    /// ideographic and fullwidth full stops separate labels, and a label with anything beyond ASCII becomes
    /// <c>xn--</c> + its encoding.
    /// </summary>
    private static int PunycodeToAsciiLength(string label)
    {
        var at = label.IndexOf('@', StringComparison.Ordinal);
        var length = 0;
        if (at >= 0)
        {
            length = at + 1;
            var second = label.IndexOf('@', at + 1);
            label = label[(at + 1)..(second < 0 ? label.Length : second)];
        }

        var parts = label.Split(['.', '\u3002', '\uFF0E', '\uFF61']);
        length += parts.Length - 1;
        foreach (var part in parts)
        {
            length += Ascii.IsValid(part) ? part.Length : "xn--".Length + Punycode.EncodedLength(part);
        }

        return length;
    }

    private static string ReplaceFirst(string text, string search, string replacement)
    {
        var index = text.IndexOf(search, StringComparison.Ordinal);
        return index < 0 ? text : string.Concat(text.AsSpan(0, index), replacement, text.AsSpan(index + search.Length));
    }

    private static bool IsSurrogatePair(string text, int index) =>
        index < text.Length - 1 && char.IsHighSurrogate(text[index]) && char.IsLowSurrogate(text[index + 1]);

    /// <summary>The v3 configuration's ranges of weight 100; any other code unit weighs 200.</summary>
    private static int CharacterWeight(char c) =>
        c is <= '\u10FF' or (>= '\u2000' and <= '\u200D') or (>= '\u2010' and <= '\u201F') or (>= '\u2032' and <= '\u2037')
            ? 100
            : DefaultWeight;
}
