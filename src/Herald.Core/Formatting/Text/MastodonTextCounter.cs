using System.Text;

namespace Herald.Formatting.Text;

/// <summary>Mastodon's StatusLengthValidator (docs/platforms.md, Mastodon); see <see cref="TextCounter.Mastodon"/>.</summary>
internal sealed class MastodonTextCounter(int maxCharacters, int charactersReservedPerUrl, string spoilerText) : ITextCounter
{
    public string Unit => TextUnits.Characters;

    public int Limit => maxCharacters;

    public TextCount Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // The validator rewrites the text before counting: each link becomes a run of placeholder
        // characters, each @user@server becomes @user. Only entities its extractor finds get the discount,
        // so links need their protocol.
        var countable = new StringBuilder(spoilerText, spoilerText.Length + text.Length);
        var position = 0;
        foreach (var entity in TextEntities.Extract(text, requireProtocol: true))
        {
            if (entity.Kind == TextEntityKind.Hashtag)
            {
                continue;
            }

            countable.Append(text, position, entity.Start - position);
            if (entity.Kind == TextEntityKind.Url)
            {
                countable.Append('x', charactersReservedPerUrl);
            }
            else
            {
                countable.Append('@').Append(entity.MentionUsername);
            }

            position = entity.End;
        }

        countable.Append(text, position, text.Length - position);
        return new TextCount([new TextMeasure(Unit, TextCounter.Graphemes(countable.ToString()), maxCharacters)]);
    }
}
