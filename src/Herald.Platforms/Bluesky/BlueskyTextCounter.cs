using System.Text;

using Herald.Formatting.Text;

namespace Herald.Platforms.Bluesky;

/// <summary>
/// Bluesky's <c>app.bsky.feed.post</c> text limits: at most 300 grapheme clusters and at most 3000 UTF-8 bytes
/// (docs/platforms.md, Bluesky). Links count as written. The main measure is graphemes; <see cref="TextUnits.Utf8Bytes"/>
/// is the second one.
/// </summary>
internal sealed class BlueskyTextCounter : ITextCounter
{
    /// <summary>The one instance: the counter holds no state.</summary>
    public static ITextCounter Instance { get; } = new BlueskyTextCounter();

    private const int MaxGraphemes = 300;
    private const int MaxBytes = 3000;

    public string Unit => TextUnits.Graphemes;

    public int Limit => MaxGraphemes;

    /// <summary>The facets the Bluesky app would mark (<see cref="BlueskyFacets"/>), as UTF-16 ranges.</summary>
    public IReadOnlyList<TextEntity> Entities(string text) => BlueskyFacets.Entities(text);

    public TextCount Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new TextCount(
        [
            new TextMeasure(TextUnits.Graphemes, TextCounter.Graphemes(text), MaxGraphemes),
            new TextMeasure(TextUnits.Utf8Bytes, Encoding.UTF8.GetByteCount(text), MaxBytes),
        ]);
    }
}
