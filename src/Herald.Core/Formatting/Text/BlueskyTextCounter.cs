using System.Text;

namespace Herald.Formatting.Text;

/// <summary>The <c>app.bsky.feed.post</c> text limits (docs/platforms.md, Bluesky); see <see cref="TextCounter.Bluesky"/>.</summary>
internal sealed class BlueskyTextCounter : ITextCounter
{
    private const int MaxGraphemes = 300;
    private const int MaxBytes = 3000;

    public string Unit => TextUnits.Graphemes;

    public int Limit => MaxGraphemes;

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
