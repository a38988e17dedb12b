using System.Text;

namespace Herald.Formatting.Text;

/// <summary>
/// Recognises emoji sequences the way twemoji-parser does for twitter-text v3 (docs/platforms.md, X), where
/// a whole sequence — skin tone, ZWJ family, keycap, flag, tag flag — weighs as one emoji. Built from
/// Unicode properties instead of twemoji's list of images: any well-formed sequence is one emoji, where
/// twemoji knows only the recommended (RGI) ones. The difference shows only for a ZWJ join of emoji no
/// vendor draws as one picture, which twemoji counts as its parts and this counts as one.
/// </summary>
internal static class Emoji
{
    private const int VariationSelector16 = 0xFE0F;
    private const int VariationSelector15 = 0xFE0E;
    private const int ZeroWidthJoiner = 0x200D;
    private const int CombiningKeycap = 0x20E3;
    private const int CancelTag = 0xE007F;

    // Extended_Pictographic (UTS #51, emoji-data.txt; stable since Unicode 13, which reserved whole blocks
    // for future emoji). Sorted, inclusive ranges.
    private static readonly (int First, int Last)[] ExtendedPictographic =
    [
        (0xA9, 0xA9), (0xAE, 0xAE), (0x203C, 0x203C), (0x2049, 0x2049), (0x2122, 0x2122), (0x2139, 0x2139),
        (0x2194, 0x2199), (0x21A9, 0x21AA), (0x231A, 0x231B), (0x2328, 0x2328), (0x2388, 0x2388),
        (0x23CF, 0x23CF), (0x23E9, 0x23F3), (0x23F8, 0x23FA), (0x24C2, 0x24C2), (0x25AA, 0x25AB),
        (0x25B6, 0x25B6), (0x25C0, 0x25C0), (0x25FB, 0x25FE), (0x2600, 0x2605), (0x2607, 0x2612),
        (0x2614, 0x2685), (0x2690, 0x2705), (0x2708, 0x2712), (0x2714, 0x2714), (0x2716, 0x2716),
        (0x271D, 0x271D), (0x2721, 0x2721), (0x2728, 0x2728), (0x2733, 0x2734), (0x2744, 0x2744),
        (0x2747, 0x2747), (0x274C, 0x274C), (0x274E, 0x274E), (0x2753, 0x2755), (0x2757, 0x2757),
        (0x2763, 0x2767), (0x2795, 0x2797), (0x27A1, 0x27A1), (0x27B0, 0x27B0), (0x27BF, 0x27BF),
        (0x2934, 0x2935), (0x2B05, 0x2B07), (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55),
        (0x3030, 0x3030), (0x303D, 0x303D), (0x3297, 0x3297), (0x3299, 0x3299), (0x1F000, 0x1F0FF),
        (0x1F10D, 0x1F10F), (0x1F12F, 0x1F12F), (0x1F16C, 0x1F171), (0x1F17E, 0x1F17F), (0x1F18E, 0x1F18E),
        (0x1F191, 0x1F19A), (0x1F1AD, 0x1F1E5), (0x1F201, 0x1F20F), (0x1F21A, 0x1F21A), (0x1F22F, 0x1F22F),
        (0x1F232, 0x1F23A), (0x1F23C, 0x1F23F), (0x1F249, 0x1F3FA), (0x1F400, 0x1F53D), (0x1F546, 0x1F64F),
        (0x1F680, 0x1F6FF), (0x1F774, 0x1F77F), (0x1F7D5, 0x1F7FF), (0x1F80C, 0x1F80F), (0x1F848, 0x1F84F),
        (0x1F85A, 0x1F85F), (0x1F888, 0x1F88F), (0x1F8AE, 0x1F8FF), (0x1F90C, 0x1F93A), (0x1F93C, 0x1F945),
        (0x1F947, 0x1FAFF), (0x1FC00, 0x1FFFD),
    ];

    /// <summary>
    /// The length in UTF-16 code units of the emoji sequence that starts at <paramref name="index"/>,
    /// or 0 when no emoji starts there.
    /// </summary>
    public static int SequenceLength(string text, int index)
    {
        var first = CodePointAt(text, index, out var length);
        var position = index + length;

        // Keycap: [0-9#*] VS16? U+20E3. A bare digit is only a digit.
        if (first is '#' or '*' or >= '0' and <= '9')
        {
            if (CodePointAt(text, position, out var vsLength) == VariationSelector16)
            {
                position += vsLength;
            }

            return CodePointAt(text, position, out var keycapLength) == CombiningKeycap
                ? position + keycapLength - index
                : 0;
        }

        // ©, ®, ™ and ♟ are ordinary text in twemoji unless VS16 asks for the emoji form.
        if (first is 0xA9 or 0xAE or 0x2122 or 0x265F)
        {
            return CodePointAt(text, position, out var vsLength) == VariationSelector16 ? length + vsLength : 0;
        }

        // A flag is a pair of regional indicators; a lone one is still drawn (as a letter in a box).
        if (IsRegionalIndicator(first))
        {
            return IsRegionalIndicator(CodePointAt(text, position, out var secondLength))
                ? length + secondLength
                : length;
        }

        // A skin tone on its own is drawn as a colour swatch.
        if (IsModifier(first))
        {
            return length;
        }

        if (!IsExtendedPictographic(first) || CodePointAt(text, position, out _) == VariationSelector15)
        {
            // Not pictographic, or VS15 asks for the text form (twemoji leaves it as text, so do we).
            return 0;
        }

        position = SkipElementSuffix(text, position);
        while (CodePointAt(text, position, out var zwjLength) == ZeroWidthJoiner &&
               IsExtendedPictographic(CodePointAt(text, position + zwjLength, out var nextLength)))
        {
            position = SkipElementSuffix(text, position + zwjLength + nextLength);
        }

        return position - index;
    }

    /// <summary>Skips what may follow one emoji inside a sequence: VS16, a skin tone, a tag run (subdivision flags).</summary>
    private static int SkipElementSuffix(string text, int position)
    {
        var next = CodePointAt(text, position, out var length);
        if (next == VariationSelector16)
        {
            position += length;
            next = CodePointAt(text, position, out length);
        }

        if (IsModifier(next))
        {
            position += length;
            next = CodePointAt(text, position, out length);
        }

        // Tag sequence (🏴 + tag letters + cancel tag, e.g. the flag of England): only a complete one counts.
        var tagPosition = position;
        while (next is >= 0xE0020 and <= 0xE007E)
        {
            tagPosition += length;
            next = CodePointAt(text, tagPosition, out length);
        }

        return tagPosition > position && next == CancelTag ? tagPosition + length : position;
    }

    private static bool IsRegionalIndicator(int codePoint) => codePoint is >= 0x1F1E6 and <= 0x1F1FF;

    private static bool IsModifier(int codePoint) => codePoint is >= 0x1F3FB and <= 0x1F3FF;

    private static bool IsExtendedPictographic(int codePoint)
    {
        var low = 0;
        var high = ExtendedPictographic.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            var (first, last) = ExtendedPictographic[middle];
            if (codePoint < first)
            {
                high = middle - 1;
            }
            else if (codePoint > last)
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The code point at <paramref name="index"/> (a lone surrogate reads as U+FFFD), or -1 past the end.</summary>
    private static int CodePointAt(string text, int index, out int length)
    {
        if (index >= text.Length)
        {
            length = 0;
            return -1;
        }

        Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out length);
        return rune.Value;
    }
}
