using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Herald.Sandbox.X;

/// <summary>
/// The sandbox's own check of X's 280 rule, written from docs/platforms.md, X ("280 weighted-length rule",
/// twitter-text config v3) and deliberately compact: NFC; every URL — with a protocol, or a bare domain whose
/// TLD is in a short list — weighs 23; a grapheme cluster that is an emoji weighs 2 however many code points
/// it has; any other code point weighs 1 in U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F, U+2032–U+2037,
/// else 2. Valid iff 0 &lt; length ≤ 280 and no U+FFFE, U+FEFF or U+FFFF.
/// </summary>
internal static partial class XWeightedLength
{
    public const int Max = 280;
    private const int UrlWeight = 23;

    public static int Of(string text, out bool hasInvalidCharacters)
    {
        string normalized;
        try
        {
            normalized = text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            normalized = text;
        }

        var urls = Url().Matches(normalized).Select(m => (m.Index, End: m.Index + m.Value.TrimEnd('.', ',', '!', '?', ';', ':', ')', ']', '"', '\'').Length)).ToList();
        hasInvalidCharacters = false;
        var length = 0;
        var index = 0;
        while (index < normalized.Length)
        {
            var url = urls.FirstOrDefault(u => u.Index == index);
            if (url.End > index)
            {
                length += UrlWeight;
                index = url.End;
                continue;
            }

            var element = normalized.Substring(index, StringInfo.GetNextTextElementLength(normalized, index));
            index += element.Length;
            if (IsEmoji(element))
            {
                length += 2;
                continue;
            }

            foreach (var rune in element.EnumerateRunes())
            {
                var v = rune.Value;
                hasInvalidCharacters |= v is 0xFFFE or 0xFEFF or 0xFFFF;
                length += v <= 0x10FF || v is >= 0x2000 and <= 0x200D or >= 0x2010 and <= 0x201F or >= 0x2032 and <= 0x2037 ? 1 : 2;
            }
        }

        return length;
    }

    /// <summary>A pictograph, a flag, a keycap or anything asking for emoji presentation (U+FE0F).</summary>
    private static bool IsEmoji(string element)
    {
        var first = Rune.GetRuneAt(element, 0).Value;
        if (element.Contains('\u20E3', StringComparison.Ordinal))
        {
            return true;
        }

        if (first is '#' or '*' or >= '0' and <= '9')
        {
            return false;
        }

        return first is >= 0x1F000 and <= 0x1FAFF or >= 0x2600 and <= 0x27BF or >= 0x2300 and <= 0x23FF or >= 0x2B00 and <= 0x2BFF ||
               element.Contains('\uFE0F', StringComparison.Ordinal);
    }

    [GeneratedRegex(
        @"\bhttps?://[^\s]+|(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|org|net|edu|gov|io|co|dev|app|ai|me|info|biz|blog|xyz|tv|ly|gl|uk|de|fr|jp|us|ca|eu)\b(?:/[^\s]*)?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Url();
}
