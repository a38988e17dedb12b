using System.Text;

using Herald.Formatting.Text;

namespace Herald.Platforms.Mastodon;

/// <summary>
/// Mastodon's StatusLengthValidator: grapheme clusters of the content warning followed by the status, where every
/// <c>http(s)://</c> link counts the instance's <c>characters_reserved_per_url</c> and a remote mention
/// <c>@user@server</c> counts as <c>@user</c> (docs/platforms.md, Mastodon).
/// </summary>
internal sealed class MastodonTextCounter : ITextCounter
{
    private readonly int _maxCharacters;
    private readonly int _charactersReservedPerUrl;
    private readonly string _spoilerText;

    /// <param name="maxCharacters">The instance's <c>configuration.statuses.max_characters</c> (upstream default 500).</param>
    /// <param name="charactersReservedPerUrl">The instance's <c>characters_reserved_per_url</c> (default 23).</param>
    /// <param name="spoilerText">The content warning that goes with every counted text; it counts too.</param>
    public MastodonTextCounter(int maxCharacters = 500, int charactersReservedPerUrl = 23, string? spoilerText = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCharacters);
        ArgumentOutOfRangeException.ThrowIfNegative(charactersReservedPerUrl);
        _maxCharacters = maxCharacters;
        _charactersReservedPerUrl = charactersReservedPerUrl;
        _spoilerText = spoilerText ?? "";
    }

    public string Unit => TextUnits.Characters;

    public int Limit => _maxCharacters;

    /// <summary>Mastodon's reading: <c>http(s)://</c> links only, and <c>@user@server</c> as one mention.</summary>
    public IReadOnlyList<TextEntity> Entities(string text) => TextEntities.Extract(text, requireProtocol: true);

    public TextCount Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // The validator rewrites the text before counting: each link becomes a run of placeholder
        // characters, each @user@server becomes @user. Only entities its extractor finds get the discount,
        // so links need their protocol.
        var countable = new StringBuilder(_spoilerText, _spoilerText.Length + text.Length);
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
                countable.Append('x', _charactersReservedPerUrl);
            }
            else
            {
                countable.Append('@').Append(entity.MentionUsername);
            }

            position = entity.End;
        }

        countable.Append(text, position, text.Length - position);
        return new TextCount([new TextMeasure(Unit, TextCounter.Graphemes(countable.ToString()), _maxCharacters)]);
    }
}
