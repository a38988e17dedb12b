using System.Text;

using Herald.Formatting.Text;

namespace Herald.Platforms.Threads;

/// <summary>
/// Threads: 500 characters, counted as code points except that an emoji counts its UTF-8 bytes (the documented rule,
/// budgeted conservatively: a whole emoji sequence counts all its bytes), and at most 5 distinct links, bare domains
/// included (docs/platforms.md, Threads).
/// </summary>
internal sealed class ThreadsTextCounter : ITextCounter
{
    /// <summary>The one instance: the counter holds no state.</summary>
    public static ITextCounter Instance { get; } = new ThreadsTextCounter();

    private const int MaxCharacters = 500;
    private const int MaxLinks = 5;

    public string Unit => TextUnits.Characters;

    public int Limit => MaxCharacters;

    public TextCount Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var characters = 0;
        var index = 0;
        while (index < text.Length)
        {
            // Meta documents only that "emojis are counted as the number of UTF-8 bytes"; counting every
            // byte of the whole sequence (a ZWJ family is 25) is the safe reading.
            var emoji = Emoji.SequenceLength(text, index);
            if (emoji > 0)
            {
                characters += Encoding.UTF8.GetByteCount(text.AsSpan(index, emoji));
                index += emoji;
                continue;
            }

            index += char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
            characters++;
        }

        // "5 unique URLs": the same link twice is one; bare domains are counted too, as Threads links them.
        var links = TextEntities.ExtractUrls(text)
            .Select(url => url.Value)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Count();

        return new TextCount(
        [
            new TextMeasure(TextUnits.Characters, characters, MaxCharacters),
            new TextMeasure(TextUnits.Links, links, MaxLinks),
        ]);
    }
}
