using System.Globalization;
using System.Text;

namespace Herald.Formatting.Text;

/// <summary>
/// The counters of Herald's short-text platforms, each exactly as docs/platforms.md describes the platform's rule.
/// </summary>
public static class TextCounter
{
    /// <summary>
    /// X: twitter-text v3 weighted length, limit 280 (docs/platforms.md, X). The text is NFC-normalised; every
    /// link (bare domains too) counts 23; every emoji sequence counts 2; any other code point counts 1 in
    /// U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F and U+2032–U+2037, else 2. U+FFFE, U+FEFF and U+FFFF
    /// make the text invalid.
    /// </summary>
    public static ITextCounter X { get; } = new XTextCounter();

    /// <summary>
    /// Bluesky: at most 300 grapheme clusters and at most 3000 UTF-8 bytes (docs/platforms.md, Bluesky). Links count
    /// as written. The main measure is graphemes; <see cref="TextUnits.Utf8Bytes"/> is the second one.
    /// </summary>
    public static ITextCounter Bluesky { get; } = new BlueskyTextCounter();

    /// <summary>
    /// Threads: 500 characters, counted as code points except that an emoji counts its UTF-8 bytes (the
    /// documented rule, budgeted conservatively: a whole emoji sequence counts all its bytes), and at most
    /// 5 distinct links, bare domains included (docs/platforms.md, Threads).
    /// </summary>
    public static ITextCounter Threads { get; } = new ThreadsTextCounter();

    /// <summary>LinkedIn: 3,000 Unicode code points (docs/platforms.md, LinkedIn).</summary>
    public static ITextCounter LinkedIn { get; } = new LinkedInTextCounter();

    /// <summary>
    /// Mastodon: grapheme clusters of the content warning followed by the status, where every
    /// <c>http(s)://</c> link counts <paramref name="charactersReservedPerUrl"/> and a remote mention
    /// <c>@user@server</c> counts as <c>@user</c> (upstream StatusLengthValidator, docs/platforms.md, Mastodon).
    /// </summary>
    /// <param name="maxCharacters">The instance's <c>configuration.statuses.max_characters</c> (upstream default 500).</param>
    /// <param name="charactersReservedPerUrl">The instance's <c>characters_reserved_per_url</c> (default 23).</param>
    /// <param name="spoilerText">The content warning that goes with every counted text; it counts too.</param>
    public static ITextCounter Mastodon(int maxCharacters = 500, int charactersReservedPerUrl = 23, string? spoilerText = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCharacters);
        ArgumentOutOfRangeException.ThrowIfNegative(charactersReservedPerUrl);
        return new MastodonTextCounter(maxCharacters, charactersReservedPerUrl, spoilerText ?? "");
    }

    /// <summary>Extended grapheme clusters (UAX #29), what a reader sees as one character.</summary>
    internal static int Graphemes(string text) => new StringInfo(text).LengthInTextElements;

    /// <summary>Unicode code points; a surrogate pair is one, a lone surrogate counts as one too.</summary>
    internal static int CodePoints(string text)
    {
        var count = 0;
        for (var index = 0; index < text.Length; index++)
        {
            if (char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
            {
                index++;
            }

            count++;
        }

        return count;
    }

    /// <summary>
    /// NFC as twitter-text applies it (JavaScript's <c>normalize()</c>). .NET refuses to normalise text with
    /// a lone surrogate, which JavaScript leaves as it is; so do we.
    /// </summary>
    internal static string NormalizeNfc(string text)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return text;
        }
    }
}
