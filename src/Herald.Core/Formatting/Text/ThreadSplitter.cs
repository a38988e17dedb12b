using System.Globalization;
using System.Text;

namespace Herald.Formatting.Text;

/// <summary>
/// Cuts a text that is too long for one post into the fewest posts of a thread, each within the platform's
/// limit by the platform's own count (its <see cref="ITextCounter"/>), numbering suffix included.
/// </summary>
/// <remarks>
/// Among the ways to cut the text into the fewest parts, the splitter prefers paragraph boundaries (blank
/// lines), then sentence ends, then line breaks and clause punctuation, then any word boundary; text without
/// spaces (Chinese, Japanese) may be cut between characters, never before closing punctuation. A link,
/// mention, hashtag or grapheme cluster (an emoji ZWJ sequence, a flag) is never cut. A word longer than a
/// whole part is cut between graphemes as a last resort; a link, mention or hashtag that does not fit in a
/// part is reported as an error instead.
/// </remarks>
public static class ThreadSplitter
{
    // The largest part number width tried: 10^9 parts is no thread.
    private const int MaxNumberDigits = 9;

    private enum CutKind
    {
        Paragraph,
        Sentence,
        Clause,
        Word,
        Hard,
    }

    /// <summary>
    /// Splits <paramref name="text"/> into the posts of a thread. A text that fits one post comes back as one
    /// trimmed part without a number; an empty or blank text as no parts.
    /// </summary>
    /// <param name="text">The whole text.</param>
    /// <param name="counter">The platform's rule, from <see cref="TextCounter"/>.</param>
    /// <param name="options">Numbering and an optional lower per-part limit; <see cref="ThreadSplitOptions.Default"/> when null.</param>
    /// <returns>The parts, or an error that says which link (or other piece) cannot fit in any part.</returns>
    public static ThreadSplit Split(string text, ITextCounter counter, ThreadSplitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(counter);
        options ??= ThreadSplitOptions.Default;
        if (options.MaxParts is <= 0)
        {
            throw new ArgumentException(
                $"{nameof(ThreadSplitOptions.MaxParts)} must be positive (it is {options.MaxParts}); use null for no cap.",
                nameof(options));
        }

        if (options.PartLimit is <= 0)
        {
            throw new ArgumentException(
                $"{nameof(ThreadSplitOptions.PartLimit)} must be positive (it is {options.PartLimit}); use null for the counter's own limit.",
                nameof(options));
        }

        var limit = Math.Min(options.PartLimit ?? counter.Limit, counter.Limit);
        if (options.MaxParts is { } max)
        {
            // Cut only a start of a long text first: when a start already needs more parts than the cap, so does the
            // whole, and the rest is never looked at. The start doubles until it is the whole text, so a text just
            // over the cap costs about twice its own cut, and a huge one about the cut of its first max+1 parts.
            for (var window = 2L * (max + 1) * limit; window < text.Length; window *= 2)
            {
                var probe = SplitCore(text[..StartEnd(text, (int)window)], counter, options, limit);
                if (probe.TooManyParts is { } partsOfStart)
                {
                    var estimate = (int)Math.Min(int.MaxValue, (double)partsOfStart * text.Length / window);
                    return TooMany(max, estimate);
                }

                if (!probe.Succeeded)
                {
                    // A link too long for any part: the whole text has it too.
                    return probe;
                }
            }
        }

        return SplitCore(text, counter, options, limit);
    }

    /// <summary>
    /// Where a start of about <paramref name="length"/> chars of <paramref name="text"/> ends: after the last
    /// whitespace in its second half, so no link or word is cut, else at a code point boundary.
    /// </summary>
    private static int StartEnd(string text, int length)
    {
        var space = text.AsSpan(length / 2, length - length / 2).LastIndexOfAny(" \n\t");
        if (space >= 0)
        {
            return length / 2 + space;
        }

        return char.IsLowSurrogate(text[length]) && char.IsHighSurrogate(text[length - 1]) ? length - 1 : length;
    }

    private static ThreadSplit TooMany(int max, int estimate)
    {
        var parts = Math.Max(estimate, max + 1);
        return new ThreadSplit([], $"it would be more than {max} posts (about {parts:N0}); the limit is {max}") { TooManyParts = parts };
    }

    private static ThreadSplit SplitCore(string text, ITextCounter counter, ThreadSplitOptions options, int limit)
    {
        bool Fits(string part)
        {
            var count = counter.Count(part);
            return count.IsWithinLimit && count.Count <= limit;
        }

        var start = 0;
        var end = text.Length;
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (start == end)
        {
            return new ThreadSplit([]);
        }

        if (Fits(text[start..end]))
        {
            return new ThreadSplit([text[start..end]]);
        }

        var entities = counter.Entities(text);
        var naturalCuts = FindCuts(text, start, end, entities);

        // The width of the " k/n" suffix depends on n, which is known only after splitting: reserve room for
        // a number of each width in turn until the thread needs no wider one.
        for (var digits = 1; digits <= MaxNumberDigits; digits++)
        {
            var widest = new string('9', digits);
            var reserve = options.Numbering ? $" {widest}/{widest}" : "";

            var tooLong = entities.FirstOrDefault(entity => !Fits(text[entity.Start..entity.End] + reserve));
            if (tooLong is not null)
            {
                return new ThreadSplit([], DescribeTooLong(tooLong, counter.Count(text[tooLong.Start..tooLong.End] + reserve), limit, options.Numbering));
            }

            var nodes = AddHardCuts(text, start, end, naturalCuts, entities, part => Fits(part + reserve));

            // More parts than this width can number means a wider number; more than the cap means no thread.
            // Either way the cut stops there instead of running through the rest of the text.
            var widthMax = options.Numbering && digits < MaxNumberDigits ? (int)Math.Pow(10, digits) - 1 : int.MaxValue;
            var stopAbove = Math.Min(options.MaxParts ?? int.MaxValue, widthMax);
            var (path, stoppedAt) = FewestParts(text, nodes, part => Fits(part + reserve), stopAbove);
            if (stoppedAt is { } stopped)
            {
                var (partsSoFar, covered) = stopped;
                if (options.MaxParts is { } max && partsSoFar > max)
                {
                    // Parts so far over the share of the text they cover: the rest is about as dense.
                    return TooMany(max, (int)Math.Min(int.MaxValue, Math.Ceiling((double)partsSoFar * (end - start) / Math.Max(1, covered - start))));
                }

                continue;
            }

            if (path is null)
            {
                return new ThreadSplit([], $"The text cannot be cut into posts of at most {limit} {counter.Unit}" +
                    (options.Numbering ? " with a part number." : "."));
            }

            var count = path.Count - 1;
            if (options.Numbering && count.ToString(CultureInfo.InvariantCulture).Length > digits)
            {
                continue;
            }

            var parts = new List<string>(count);
            for (var k = 0; k < count; k++)
            {
                var part = text[nodes[path[k]].Next..nodes[path[k + 1]].End].Trim();
                parts.Add(options.Numbering ? string.Create(CultureInfo.InvariantCulture, $"{part} {k + 1}/{count}") : part);
            }

            // The reserve was the widest number of this width, so every real part fits; a miss is a bug here.
            if (parts.FirstOrDefault(part => !Fits(part)) is { } overLimit)
            {
                throw new InvalidOperationException($"ThreadSplitter produced a part over the limit: \"{overLimit}\".");
            }

            return new ThreadSplit(parts);
        }

        return new ThreadSplit([], "The text needs more parts than a thread can number.");
    }

    /// <summary>
    /// The natural places to cut, in order: every run of whitespace, and between characters of scripts
    /// written without spaces. The first node is the text's start and the last its end.
    /// </summary>
    private static List<Cut> FindCuts(string text, int start, int end, IReadOnlyList<TextEntity> entities)
    {
        var cuts = new List<Cut> { new(start, start, CutKind.Paragraph) };
        var index = start;
        while (index < end)
        {
            if (char.IsWhiteSpace(text[index]))
            {
                var whitespaceStart = index;
                var newlines = 0;
                for (; index < end && char.IsWhiteSpace(text[index]); index++)
                {
                    newlines += text[index] == '\n' ? 1 : 0;
                }

                // A blank line ends a paragraph; a single line break is at least as good as a clause end.
                var kind = newlines >= 2 ? CutKind.Paragraph : KindAfter(text, whitespaceStart);
                if (newlines == 1 && kind == CutKind.Word)
                {
                    kind = CutKind.Clause;
                }

                cuts.Add(new Cut(whitespaceStart, index, kind));
                continue;
            }

            var next = index + Graphemes.NextLength(text.AsSpan(index, end - index));
            if (next < end && !char.IsWhiteSpace(text[next]) && MayCutBetween(text, next) &&
                !entities.Any(entity => entity.Splits(next)))
            {
                cuts.Add(new Cut(next, next, KindAfter(text, next)));
            }

            index = next;
        }

        cuts.Add(new Cut(end, end, CutKind.Paragraph));
        return cuts;
    }

    /// <summary>
    /// Adds a cut at every grapheme boundary (outside links, mentions and hashtags) of each stretch between
    /// natural cuts that cannot fit in one part on its own: the last resort for an over-long word.
    /// </summary>
    private static List<Cut> AddHardCuts(
        string text, int start, int end, List<Cut> cuts, IReadOnlyList<TextEntity> entities, Func<string, bool> fits)
    {
        var nodes = new List<Cut>(cuts.Count) { cuts[0] };
        for (var i = 1; i < cuts.Count; i++)
        {
            var from = cuts[i - 1].Next;
            var to = cuts[i].End;
            if (!fits(text[from..to]))
            {
                var position = from;
                while (true)
                {
                    position += Graphemes.NextLength(text.AsSpan(position, to - position));
                    if (position >= to)
                    {
                        break;
                    }

                    if (!entities.Any(entity => entity.Splits(position)))
                    {
                        nodes.Add(new Cut(position, position, CutKind.Hard));
                    }
                }
            }

            nodes.Add(cuts[i]);
        }

        return nodes;
    }

    /// <summary>
    /// The cuts (indices into <paramref name="nodes"/>, first and last included) that make the fewest parts,
    /// and among those the gentlest cuts; null when some stretch cannot fit at all.
    /// </summary>
    private static (List<int>? Path, (int Parts, int Covered)? Stopped) FewestParts(
        string text, List<Cut> nodes, Func<string, bool> fits, int stopAbove)
    {
        var parts = new int[nodes.Count];
        var penalty = new int[nodes.Count];
        var previous = new int[nodes.Count];
        Array.Fill(parts, int.MaxValue);
        parts[0] = 0;

        // A part never counts less for being longer (cuts never split a link, a mention or a grapheme),
        // so the furthest node a part from i can reach only moves forward as i does: two pointers find
        // every reach with about two counts a node.
        var reach = 0;
        for (var i = 0; i < nodes.Count - 1; i++)
        {
            reach = Math.Max(reach, i);
            while (reach + 1 < nodes.Count && fits(text[nodes[i].Next..nodes[reach + 1].End]))
            {
                reach++;
            }

            if (parts[i] == int.MaxValue)
            {
                continue;
            }

            // parts[] never decreases along the nodes (a part that reaches a node reaches every node before
            // it), so once a node needs more parts than allowed, so does the end of the text.
            if (parts[i] > stopAbove)
            {
                return (null, (parts[i], nodes[i].End));
            }

            for (var j = i + 1; j <= reach; j++)
            {
                var cost = penalty[i] + (j == nodes.Count - 1 ? 0 : Penalty(nodes[j].Kind));
                if (parts[i] + 1 < parts[j] || (parts[i] + 1 == parts[j] && cost < penalty[j]))
                {
                    parts[j] = parts[i] + 1;
                    penalty[j] = cost;
                    previous[j] = i;
                }
            }
        }

        if (parts[^1] == int.MaxValue)
        {
            return (null, null);
        }

        if (parts[^1] > stopAbove)
        {
            return (null, (parts[^1], nodes[^1].End));
        }

        var path = new List<int>();
        for (var node = nodes.Count - 1; node != 0; node = previous[node])
        {
            path.Add(node);
        }

        path.Add(0);
        path.Reverse();
        return (path, null);
    }

    private static int Penalty(CutKind kind) => kind switch
    {
        CutKind.Paragraph => 0,
        CutKind.Sentence => 1,
        CutKind.Clause => 3,
        CutKind.Word => 4,
        _ => 100,
    };

    /// <summary>What kind of boundary the text before <paramref name="index"/> ends: a sentence, a clause or a word.</summary>
    private static CutKind KindAfter(string text, int index)
    {
        // Look through closing quotes and brackets: 'He said "no." Then' ends a sentence.
        var last = index - 1;
        while (last > 0 && text[last] is '"' or '\'' or ')' or ']' or '}' or '”' or '’' or '»' or '」' or '』' or '）')
        {
            last--;
        }

        return text[last] switch
        {
            '.' or '!' or '?' or '…' or '。' or '！' or '？' or '．' => CutKind.Sentence,
            ',' or ';' or ':' or '–' or '—' or '、' or '，' or '；' or '：' => CutKind.Clause,
            _ => CutKind.Word,
        };
    }

    /// <summary>
    /// Whether a line may break at <paramref name="index"/> inside a run without spaces: next to a Chinese
    /// or Japanese character, but never before closing punctuation nor after an opening bracket.
    /// </summary>
    private static bool MayCutBetween(string text, int index)
    {
        // A lone surrogate (invalid UTF-16, possible through the library API) is taken as itself, never paired.
        var before = index >= 2 && char.IsSurrogatePair(text[index - 2], text[index - 1])
            ? char.ConvertToUtf32(text[index - 2], text[index - 1])
            : text[index - 1];
        Rune.DecodeFromUtf16(text.AsSpan(index), out var afterRune, out _);
        var after = afterRune.Value;

        if (after is '.' or ',' or '!' or '?' or ':' or ';' or ')' or ']' or '}' or '"' or '\'' or '%' or
            '、' or '。' or '，' or '．' or '！' or '？' or '：' or '；' or '）' or '」' or '』' or '】' or '〉' or '》' or
            '〕' or '｝' or '…' or '‥' or 'ー' or '々' or 'ゝ' or 'ゞ' or '・' or '”' or '’' ||
            before is '(' or '[' or '{' or '（' or '「' or '『' or '【' or '〈' or '《' or '〔' or '｛' or '“' or '‘')
        {
            return false;
        }

        return IsSpacelessScript(before) || IsSpacelessScript(after);
    }

    /// <summary>Chinese and Japanese characters, kana and their punctuation; Korean is written with spaces.</summary>
    private static bool IsSpacelessScript(int codePoint) =>
        codePoint is (>= 0x2E80 and <= 0x2FFF) or (>= 0x3000 and <= 0x30FF) or (>= 0x3100 and <= 0x312F) or
            (>= 0x3190 and <= 0x31FF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or
            (>= 0xF900 and <= 0xFAFF) or (>= 0xFF00 and <= 0xFFEF) or (>= 0x20000 and <= 0x3FFFF);

    private static string DescribeTooLong(TextEntity entity, TextCount count, int limit, bool numbering)
    {
        var (what, advice) = entity.Kind switch
        {
            TextEntityKind.Url => ("link", " Shorten the link."),
            TextEntityKind.Mention => ("mention", ""),
            _ => ("hashtag", ""),
        };
        return $"The {what} \"{entity.Value}\" does not fit in one post: " +
               (numbering ? "with a part number it measures " : "it measures ") +
               $"{count}, and a part allows at most {limit} {count.Unit}. A {what} is never cut.{advice}";
    }

    /// <summary>A place to cut: the part before ends at <see cref="End"/>, the next starts at <see cref="Next"/>.</summary>
    private readonly record struct Cut(int End, int Next, CutKind Kind);
}
