using Herald.Formatting.Text;

namespace Herald.Platforms.X;

/// <summary>
/// X: twitter-text v3 <c>parseTweet</c> weighted length, limit 280 (docs/platforms.md, X; docs/counting.md). The text is
/// NFC-normalised; every link (bare domains too) counts 23; every emoji twemoji knows counts 2; any other code point
/// counts 1 in U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F and U+2032–U+2037, else 2. U+FFFE, U+FEFF and U+FFFF make
/// the text invalid. The work is done by <see cref="TwitterText"/>, a port of the library itself.
/// </summary>
internal sealed class XTextCounter : ITextCounter
{
    /// <summary>The one instance: the counter holds no state.</summary>
    public static ITextCounter Instance { get; } = new XTextCounter();

    private const int MaxWeightedLength = 280;

    public string Unit => TextUnits.WeightedCharacters;

    public int Limit => MaxWeightedLength;

    public TextCount Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (weighted, invalid) = TwitterText.ParseTweet(text);
        return new TextCount([new TextMeasure(Unit, weighted, MaxWeightedLength)], invalid);
    }
}
