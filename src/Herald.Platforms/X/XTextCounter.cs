using System.Text;

using Herald.Formatting.Text;

namespace Herald.Platforms.X;

/// <summary>
/// X: twitter-text v3 <c>parseTweet</c> weighted length, limit 280 (docs/platforms.md, X). The text is NFC-normalised;
/// every link (bare domains too) counts 23; every emoji sequence counts 2; any other code point counts 1 in
/// U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F and U+2032–U+2037, else 2. U+FFFE, U+FEFF and U+FFFF make the text
/// invalid.
/// </summary>
internal sealed class XTextCounter : ITextCounter
{
    /// <summary>The one instance: the counter holds no state.</summary>
    public static ITextCounter Instance { get; } = new XTextCounter();

    private const int MaxWeightedLength = 280;
    private const int TransformedUrlLength = 23;
    private const int EmojiWeight = 2;

    public string Unit => TextUnits.WeightedCharacters;

    public int Limit => MaxWeightedLength;

    public TextCount Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = TextCounter.NormalizeNfc(text);
        var urls = TextEntities.ExtractUrls(normalized);

        var weight = 0;
        var invalid = false;
        var nextUrl = 0;
        var index = 0;
        while (index < normalized.Length)
        {
            if (nextUrl < urls.Count && urls[nextUrl].Start == index)
            {
                weight += TransformedUrlLength;
                index = urls[nextUrl++].End;
                continue;
            }

            var emoji = Emoji.SequenceLength(normalized, index);
            if (emoji > 0)
            {
                weight += EmojiWeight;
                index += emoji;
                continue;
            }

            Rune.DecodeFromUtf16(normalized.AsSpan(index), out var rune, out var length);
            // A lone surrogate decodes as U+FFFD, which weighs 2, as its code unit does in twitter-text.
            weight += Weight(rune.Value);
            invalid |= rune.Value is 0xFFFE or 0xFEFF or 0xFFFF;
            index += length;
        }

        return new TextCount([new TextMeasure(Unit, weight, MaxWeightedLength)], invalid);
    }

    /// <summary>The v3 config's ranges of weight 100 (one character); every other code point weighs 200.</summary>
    private static int Weight(int codePoint) =>
        codePoint is <= 0x10FF or (>= 0x2000 and <= 0x200D) or (>= 0x2010 and <= 0x201F) or (>= 0x2032 and <= 0x2037)
            ? 1
            : 2;
}
