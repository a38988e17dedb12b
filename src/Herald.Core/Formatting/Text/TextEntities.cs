using System.Buffers;
using System.Globalization;
using System.Text;

namespace Herald.Formatting.Text;

/// <summary>
/// Finds links, mentions and hashtags in plain text. By default exactly as twitter-text 3 does (X; docs/counting.md):
/// links are <c>http(s)://</c> URLs and bare domains that end in a top-level domain twitter-text knows, found and bounded
/// by the library's own rules in every script. With <c>requireProtocol</c> set, Mastodon's reading (docs/platforms.md,
/// Mastodon): only <c>http(s)://</c> URLs are links, and <c>@user@server</c> is one mention.
/// </summary>
public static class TextEntities
{
    private const int MaxLabelLength = 63;
    private const int MaxUrlLength = 4096;

    /// <summary>
    /// Every link, mention and hashtag in <paramref name="text"/>, in order and never overlapping: a mention
    /// or hashtag inside a link (<c>https://example.com/@alice</c>, <c>example.com/#top</c>) is part of the link.
    /// </summary>
    /// <param name="text">The text to read.</param>
    /// <param name="requireProtocol">
    /// Only <c>http(s)://</c> URLs are links (Mastodon's rule); a bare <c>example.com</c> is then plain text.
    /// </param>
    public static IReadOnlyList<TextEntity> Extract(string text, bool requireProtocol = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!requireProtocol)
        {
            return [.. TwitterText.ExtractEntities(text).Where(entity => entity.Kind != TwitterTextEntityKind.Cashtag).Select(entity => ToTextEntity(text, entity))];
        }

        var urls = FindProtocolUrls(text);
        var others = FindMentions(text).Concat(FindHashtags(text))
            .Where(entity => !urls.Any(url => url.Start < entity.End && entity.Start < url.End))
            .OrderBy(entity => entity.Start);

        var result = new List<TextEntity>(urls);
        var lastEnd = 0;
        foreach (var entity in others)
        {
            // "#a@b" style collisions: the first one found keeps its characters.
            if (entity.Start >= lastEnd)
            {
                result.Add(entity);
                lastEnd = entity.End;
            }
        }

        result.Sort((a, b) => a.Start.CompareTo(b.Start));
        return result;
    }

    /// <summary>The links in <paramref name="text"/>, in order.</summary>
    /// <param name="text">The text to read.</param>
    /// <param name="requireProtocol">Only <c>http(s)://</c> URLs count; a bare domain is plain text.</param>
    public static IReadOnlyList<TextEntity> ExtractUrls(string text, bool requireProtocol = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        return requireProtocol ? FindProtocolUrls(text) : [.. TwitterText.ExtractUrls(text).Select(url => ToTextEntity(text, url))];
    }

    private static TextEntity ToTextEntity(string text, TwitterTextEntity entity) => entity.Kind switch
    {
        TwitterTextEntityKind.Url => new TextEntity(TextEntityKind.Url, entity.Start, entity.End, text[entity.Start..entity.End]),
        TwitterTextEntityKind.Mention => new TextEntity(TextEntityKind.Mention, entity.Start, entity.End, entity.Value),
        TwitterTextEntityKind.Hashtag => new TextEntity(TextEntityKind.Hashtag, entity.Start, entity.End, entity.Value),
        _ => throw new ArgumentOutOfRangeException(nameof(entity), entity.Kind, "Cashtags are not text entities."),
    };

    /// <summary>The mentions in <paramref name="text"/> that are not part of a link, in order.</summary>
    public static IReadOnlyList<TextEntity> ExtractMentions(string text) =>
        Extract(text).Where(entity => entity.Kind == TextEntityKind.Mention).ToList();

    /// <summary>The hashtags in <paramref name="text"/> that are not part of a link, in order.</summary>
    public static IReadOnlyList<TextEntity> ExtractHashtags(string text) =>
        Extract(text).Where(entity => entity.Kind == TextEntityKind.Hashtag).ToList();

    /// <summary>The <c>http(s)://</c> links of <paramref name="text"/> (Mastodon's reading), in order.</summary>
    private static List<TextEntity> FindProtocolUrls(string text)
    {
        var urls = new List<TextEntity>();
        var index = 0;
        while (index < text.Length)
        {
            var protocolLength = ProtocolLengthAt(text, index);
            if (protocolLength == 0 || !IsValidUrlPrecedingChar(text, index))
            {
                index++;
                continue;
            }

            var end = ScanUrl(text, index, protocolLength, out var consumed);
            if (end > index)
            {
                urls.Add(new TextEntity(TextEntityKind.Url, index, end, text[index..end]));
                index = end;
            }
            else
            {
                // A rejected domain (a 64-character label, say) is skipped whole, so that no shorter
                // domain is found inside it.
                index = Math.Max(consumed, index + 1);
            }
        }

        return urls;
    }

    /// <summary>Length of <c>http://</c> or <c>https://</c> at <paramref name="index"/> (any case), else 0.</summary>
    private static int ProtocolLengthAt(string text, int index)
    {
        var rest = text.AsSpan(index);
        if (rest.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return 7;
        }

        return rest.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? 8 : 0;
    }

    /// <summary>
    /// A link may not continue a word, a mention, a cashtag or a hashtag: the character before it must not be
    /// an ASCII letter or digit, <c>@</c>, <c>$</c> or <c>#</c> (twitter-text's validUrlPrecedingChars). Other
    /// scripts may touch a link, as in Japanese, which writes no spaces: <c>詳しくはexample.comへ</c>.
    /// </summary>
    private static bool IsValidUrlPrecedingChar(string text, int index)
    {
        if (index == 0)
        {
            return true;
        }

        var previous = text[index - 1];
        return !char.IsAsciiLetterOrDigit(previous) &&
               previous is not ('@' or '＠' or '$' or '#' or '＃' or '\uFFFE' or '\uFEFF' or '\uFFFF');
    }

    /// <summary>
    /// Reads the link at <paramref name="start"/>: protocol, domain, port, path, query.
    /// Returns its end, or <paramref name="start"/> when there is no valid link; <paramref name="consumed"/>
    /// is how far the domain-like run went either way.
    /// </summary>
    private static int ScanUrl(string text, int start, int protocolLength, out int consumed)
    {
        var hostStart = start + protocolLength;
        var labels = ReadLabels(text, hostStart);
        consumed = labels.Count > 0 ? labels[^1].End : hostStart;

        var domainLabels = ChooseDomain(text, labels);
        if (domainLabels == 0 || !AreValidLabels(text, labels, domainLabels))
        {
            return start;
        }

        var position = labels[domainLabels - 1].End;
        position = SkipPort(text, position);
        if (position < text.Length && text[position] == '/')
        {
            position = ScanPath(text, position);
        }

        if (position < text.Length && text[position] == '?')
        {
            position = ScanQuery(text, position);
        }

        return position - start > MaxUrlLength ? start : position;
    }

    /// <summary>Runs of domain characters separated by single dots, from <paramref name="start"/>.</summary>
    private static List<(int Start, int End)> ReadLabels(string text, int start)
    {
        var labels = new List<(int Start, int End)>();
        var position = start;
        while (true)
        {
            var labelStart = position;
            while (position < text.Length && IsLabelChar(text, position, out var length))
            {
                position += length;
            }

            if (position == labelStart)
            {
                break;
            }

            labels.Add((labelStart, position));
            if (position + 1 < text.Length && text[position] == '.' && IsLabelChar(text, position + 1, out _))
            {
                position++;
                continue;
            }

            break;
        }

        return labels;
    }

    /// <summary>
    /// How many labels make up the domain: the longest run whose last label is a top-level domain and is
    /// not followed by <c>@</c> or <c>+</c> (twitter-text's TLD look-ahead); 0 when there is none.
    /// </summary>
    private static int ChooseDomain(string text, List<(int Start, int End)> labels)
    {
        for (var count = labels.Count; count >= 2; count--)
        {
            var tld = labels[count - 1];
            var after = tld.End < text.Length ? text[tld.End] : ' ';
            if (TopLevelDomains.IsTopLevelDomain(Slice(text, tld)) && after is not ('@' or '+' or '＠'))
            {
                return count;
            }
        }

        return 0;
    }

    private static bool AreValidLabels(string text, List<(int Start, int End)> labels, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var label = Slice(text, labels[i]);
            if (label[0] is '-' or '_' || label[^1] is '-' or '_')
            {
                return false;
            }

            // Underscores are tolerated in subdomains only (test_underscore.twitter.com).
            if (label.Contains('_') && i >= count - 2)
            {
                return false;
            }

            if (AsciiLength(label) is not (>= 1 and <= MaxLabelLength))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The label's length once IDNA-encoded (DNS allows 63); -1 when it cannot be encoded.</summary>
    private static int AsciiLength(ReadOnlySpan<char> label)
    {
        if (Ascii.IsValid(label))
        {
            return label.Length;
        }

        try
        {
            return new IdnMapping().GetAscii(label.ToString()).Length;
        }
        catch (ArgumentException)
        {
            return -1;
        }
    }

    private static bool IsLabelChar(string text, int index, out int length)
    {
        var c = text[index];
        length = 1;
        if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
        {
            return true;
        }

        if (c < 0x80)
        {
            return false;
        }

        if (Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out length) != OperationStatus.Done)
        {
            return false;
        }

        // Internationalised domains: letters, digits, marks, and symbols such as ☃ (http://☃.net/).
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or
            UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark or
            UnicodeCategory.SpacingCombiningMark or UnicodeCategory.DecimalDigitNumber or
            UnicodeCategory.OtherSymbol => true,
            _ => false,
        };
    }

    private static int SkipPort(string text, int position)
    {
        var digits = position + 1;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        return position < text.Length && text[position] == ':' && digits > position + 1 ? digits : position;
    }

    /// <summary>
    /// The end of the path that starts with the <c>/</c> at <paramref name="slash"/>. Parentheses must balance
    /// (Wikipedia's <c>/Primer_(film)</c>), and the path ends on a letter, digit, <c>+-=_#/</c> or a closing
    /// parenthesis, so <c>/foo.</c> and <c>/foo)</c> leave the punctuation outside.
    /// </summary>
    private static int ScanPath(string text, int slash)
    {
        var position = slash + 1;
        var end = position;
        var depth = 0;
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                if (depth == 0)
                {
                    break;
                }

                depth--;
            }
            else if (!IsPathChar(c))
            {
                break;
            }

            position++;
            if (depth == 0 && (c == ')' || IsPathEndingChar(c)))
            {
                end = position;
            }
        }

        return end;
    }

    /// <summary>The end of the query that starts with the <c>?</c> at <paramref name="question"/>.</summary>
    private static int ScanQuery(string text, int question)
    {
        var end = question;
        for (var position = question + 1; position < text.Length && IsQueryChar(text[position]); position++)
        {
            if (char.IsAsciiLetterOrDigit(text[position]) || text[position] is '-' or '_' or '&' or '=' or '#' or '/')
            {
                end = position + 1;
            }
        }

        return end;
    }

    private static bool IsPathChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || IsAccentedOrCyrillic(c) ||
        c is '!' or '*' or '\'' or ';' or ':' or '=' or '+' or ',' or '.' or '$' or '/' or '%' or '#' or '[' or ']' or
            '-' or '_' or '~' or '@' or '|' or '&' or '\u2013';

    private static bool IsPathEndingChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || IsAccentedOrCyrillic(c) || c is '+' or '-' or '=' or '_' or '#' or '/';

    private static bool IsQueryChar(char c) =>
        char.IsAsciiLetterOrDigit(c) ||
        c is '!' or '?' or '*' or '\'' or '@' or '(' or ')' or ';' or ':' or '&' or '=' or '+' or '$' or '/' or '%' or
            '#' or '[' or ']' or '-' or '_' or '.' or ',' or '~' or '|';

    /// <summary>Latin letters with accents and Cyrillic letters, which twitter-text allows in paths.</summary>
    private static bool IsAccentedOrCyrillic(char c) =>
        c is (>= '\u00C0' and <= '\u024F' and not '\u00D7' and not '\u00F7') or (>= '\u0300' and <= '\u036F') or
            (>= '\u0400' and <= '\u052F') or (>= '\u1E00' and <= '\u1EFF');

    private static IEnumerable<TextEntity> FindMentions(string text)
    {
        for (var at = 0; at < text.Length; at++)
        {
            if (text[at] is not ('@' or '＠') || (at > 0 && !IsValidMentionPrecedingChar(text[at - 1])))
            {
                continue;
            }

            var end = ReadName(text, at + 1);
            if (end == at + 1)
            {
                continue;
            }

            // Mastodon's remote form: @user@server.domain. The server needs a dot and a letter at the end.
            if (end < text.Length && text[end] is '@' or '＠')
            {
                var serverEnd = ReadName(text, end + 1);
                var server = text.AsSpan(end + 1, serverEnd - end - 1);
                if (server.Contains('.') && char.IsLetter(server[^1]))
                {
                    end = serverEnd;
                }
                else
                {
                    // "@a@b" is neither a mention nor an address.
                    continue;
                }
            }

            if (text.AsSpan(end).StartsWith("://", StringComparison.Ordinal))
            {
                continue;
            }

            yield return new TextEntity(TextEntityKind.Mention, at, end, text[(at + 1)..end]);
        }
    }

    /// <summary>
    /// A mention does not continue a word or an address (<c>bob@example.com</c>), nor follow <c>=</c> or
    /// <c>/</c> as in a URL (the union of twitter-text's and Mastodon's rules).
    /// </summary>
    private static bool IsValidMentionPrecedingChar(char previous) =>
        !char.IsLetterOrDigit(previous) && !char.IsSurrogate(previous) &&
        previous is not ('_' or '!' or '#' or '$' or '%' or '&' or '*' or '@' or '＠' or '=' or '/');

    /// <summary>
    /// Reads a user name or domain from <paramref name="start"/>: ASCII letters, digits and <c>_</c>, with
    /// <c>.</c> and <c>-</c> allowed between them (<c>alice.bsky.social</c>) but never at the end.
    /// </summary>
    private static int ReadName(string text, int start)
    {
        var end = start;
        var position = start;
        while (position < text.Length)
        {
            var c = text[position];
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                position++;
                end = position;
            }
            else if (c is '.' or '-' && end == position && position > start)
            {
                position++;
            }
            else
            {
                break;
            }
        }

        return end;
    }

    private static IEnumerable<TextEntity> FindHashtags(string text)
    {
        for (var hash = 0; hash < text.Length; hash++)
        {
            if (text[hash] is not ('#' or '＃') || (hash > 0 && !IsValidHashtagPrecedingChar(text, hash - 1)))
            {
                continue;
            }

            var position = hash + 1;
            var hasLetter = false;
            while (position < text.Length &&
                   Rune.DecodeFromUtf16(text.AsSpan(position), out var rune, out var length) == OperationStatus.Done &&
                   IsHashtagRune(rune, ref hasLetter))
            {
                position += length;
            }

            // "#123" is a number, and "#️⃣" a keycap; "#tag#more" and "#tag://" are not hashtags at all.
            if (!hasLetter || (position < text.Length && text[position] is '#' or '＃') ||
                text.AsSpan(position).StartsWith("://", StringComparison.Ordinal))
            {
                continue;
            }

            yield return new TextEntity(TextEntityKind.Hashtag, hash, position, text[(hash + 1)..position]);
        }
    }

    private static bool IsValidHashtagPrecedingChar(string text, int index)
    {
        var previous = text[index];
        if (previous is '&' or '_')
        {
            return false;
        }

        var start = char.IsLowSurrogate(previous) && index > 0 ? index - 1 : index;
        return Rune.DecodeFromUtf16(text.AsSpan(start), out var rune, out _) != OperationStatus.Done ||
               !Rune.IsLetterOrDigit(rune);
    }

    private static bool IsHashtagRune(Rune rune, ref bool hasLetter)
    {
        var category = Rune.GetUnicodeCategory(rune);
        switch (category)
        {
            case UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or
                UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter:
                hasLetter = true;
                return true;
            case UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.DecimalDigitNumber:
                // Marks belong to the letter before them; a mark alone (VS16 of a "#️⃣" keycap) is no tag.
                return true;
            default:
                // Underscore, and the joiners some scripts need inside a word.
                return rune.Value is '_' or 0x200C or 0x200D;
        }
    }

    private static ReadOnlySpan<char> Slice(string text, (int Start, int End) range) =>
        text.AsSpan(range.Start, range.End - range.Start);
}
