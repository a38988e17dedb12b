namespace Herald.Formatting.Text;

/// <summary>LinkedIn's commentary limit (docs/platforms.md, LinkedIn); see <see cref="TextCounter.LinkedIn"/>.</summary>
internal sealed class LinkedInTextCounter : ITextCounter
{
    private const int MaxCharacters = 3000;

    public string Unit => TextUnits.Characters;

    public int Limit => MaxCharacters;

    public TextCount Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new TextCount([new TextMeasure(Unit, TextCounter.CodePoints(text), MaxCharacters)]);
    }
}
