namespace Herald.Formatting.Text;

/// <summary>What a <see cref="TextEntity"/> is.</summary>
public enum TextEntityKind
{
    /// <summary>A link: <c>https://example.com/a</c>, or a bare domain such as <c>example.com/a</c>.</summary>
    Url = 0,

    /// <summary>A mention: <c>@alice</c>, <c>@alice@example.social</c> (Mastodon) or <c>@alice.bsky.social</c> (Bluesky).</summary>
    Mention = 1,

    /// <summary>A hashtag: <c>#tag</c>.</summary>
    Hashtag = 2,
}

/// <summary>
/// A link, mention or hashtag found in a text, at the UTF-16 index range [<see cref="Start"/>,
/// <see cref="End"/>) of that text.
/// </summary>
/// <param name="Kind">What it is.</param>
/// <param name="Start">Index of its first character (the <c>@</c> or <c>#</c> for mentions and hashtags).</param>
/// <param name="End">Index just past its last character.</param>
/// <param name="Value">
/// The link as written (a bare domain stays bare); a mention without its <c>@</c> (<c>alice</c>,
/// <c>alice@example.social</c>, <c>alice.bsky.social</c>); a hashtag without its <c>#</c>.
/// </param>
public sealed record TextEntity(TextEntityKind Kind, int Start, int End, string Value)
{
    /// <summary>How many UTF-16 code units of the text it covers.</summary>
    public int Length => End - Start;

    /// <summary>Whether the link starts with <c>http://</c> or <c>https://</c>; false for mentions and hashtags.</summary>
    public bool HasProtocol =>
        Kind == TextEntityKind.Url &&
        (Value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ||
         Value.StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// For a mention, the user name without the server: <c>alice</c> for <c>@alice@example.social</c>, the
    /// whole handle for <c>@alice.bsky.social</c>; null for links and hashtags.
    /// </summary>
    public string? MentionUsername => Kind == TextEntityKind.Mention ? Value.Split('@')[0] : null;

    /// <summary>Whether <paramref name="index"/> falls strictly inside it, so that cutting there would break it.</summary>
    public bool Splits(int index) => index > Start && index < End;
}
