using System.Text.RegularExpressions;

namespace Herald.Sandbox.Threads;

/// <summary>
/// The simulated Threads' own reading of its text limits (docs/platforms.md, Threads, "Limits"), written from the
/// reference rather than shared with Herald's counters: 500 characters where "emojis are counted as the number
/// of UTF-8 bytes" (the cautious reading: every code point of an emoji sequence counts its bytes), and at most
/// 5 unique links.
/// </summary>
internal static partial class ThreadsTextRules
{
    public const int MaxCharacters = 500;
    public const int MaxLinks = 5;

    /// <summary>Characters as the simulator counts them: an emoji code point counts its UTF-8 bytes, anything else 1.</summary>
    public static int Characters(string text)
    {
        var count = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            count += IsEmojiPart(rune.Value) ? rune.Utf8SequenceLength : 1;
        }

        return count;
    }

    /// <summary>Unique <c>http(s)://</c> and <c>www.</c> links; the same link twice is one.</summary>
    public static int UniqueLinks(string text) =>
        Link().Matches(text)
            .Select(m => m.Value.TrimEnd('.', ',', ';', ':', '!', '?', ')', '\'', '"'))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Count();

    /// <summary>
    /// The emoji blocks (Miscellaneous Symbols, Dingbats, the supplementary pictograph blocks with skin tones and
    /// regional indicators) and the parts that join them into sequences (ZWJ, VS16, keycap, tag characters).
    /// </summary>
    private static bool IsEmojiPart(int codePoint) => codePoint is
        (>= 0x2600 and <= 0x27BF) or
        (>= 0x1F000 and <= 0x1FAFF) or
        0x200D or 0xFE0F or 0x20E3 or
        (>= 0xE0020 and <= 0xE007F);

    [GeneratedRegex(@"\b(?:https?://|www\.)[^\s]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Link();
}
