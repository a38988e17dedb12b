namespace Herald.Formatting.Text;

/// <summary>How <see cref="ThreadSplitter"/> cuts a text into the posts of a thread.</summary>
public sealed record ThreadSplitOptions
{
    /// <summary>The defaults: numbered parts, each up to the counter's own limit.</summary>
    public static ThreadSplitOptions Default { get; } = new();

    /// <summary>
    /// Whether each part of a multi-part thread ends with its number, as in <c>" 2/5"</c> (default true).
    /// The suffix counts against the part's limit. A text that fits one post is never numbered.
    /// </summary>
    public bool Numbering { get; init; } = true;

    /// <summary>
    /// A lower limit for each part, in the counter's main unit (to leave room for something the caller
    /// adds); null (the default) for the counter's own limit. Every other limit of the counter still holds.
    /// </summary>
    public int? PartLimit { get; init; }

    /// <summary>
    /// The most parts the thread may have; null for no cap. A text that needs more is an error
    /// (<see cref="ThreadSplit.TooManyParts"/>), found without cutting the rest of the text, so a huge text
    /// costs little more than the capped number of parts.
    /// </summary>
    public int? MaxParts { get; init; }
}

/// <summary>The parts of a thread, or why the text cannot be cut into parts that fit.</summary>
/// <param name="Parts">The posts in order, trimmed, numbered when asked; empty when splitting failed.</param>
/// <param name="Error">Why the text cannot be split (a link longer than a whole post, say); null on success.</param>
public sealed record ThreadSplit(IReadOnlyList<string> Parts, string? Error = null)
{
    /// <summary>
    /// Set when the text needs more parts than <see cref="ThreadSplitOptions.MaxParts"/>: an estimate of how many
    /// it would need (never at most the cap). Null otherwise.
    /// </summary>
    public int? TooManyParts { get; init; }

    /// <summary>Whether every part fits: <see cref="Error"/> is null.</summary>
    public bool Succeeded => Error is null;
}
