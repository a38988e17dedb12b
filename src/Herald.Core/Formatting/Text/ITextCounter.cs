namespace Herald.Formatting.Text;

/// <summary>
/// Counts a text exactly as one platform does against its length limit (docs/platforms.md). Get one from
/// <see cref="TextCounter"/>; the <see cref="ThreadSplitter"/> takes one to size the parts of a thread.
/// </summary>
public interface ITextCounter
{
    /// <summary>The unit of the main measure, one of <see cref="TextUnits"/>.</summary>
    string Unit { get; }

    /// <summary>The limit of the main measure for one post.</summary>
    int Limit { get; }

    /// <summary>Counts <paramref name="text"/> as the platform will.</summary>
    TextCount Count(string text);

    /// <summary>
    /// The links, mentions and hashtags the platform finds in <paramref name="text"/>, which a thread must not cut.
    /// By default twitter-text's (X's); a platform that finds them otherwise (Bluesky's facets, Mastodon) says so.
    /// </summary>
    IReadOnlyList<TextEntity> Entities(string text) => TextEntities.Extract(text);
}
