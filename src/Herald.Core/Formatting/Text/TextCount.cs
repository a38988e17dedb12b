namespace Herald.Formatting.Text;

/// <summary>The units the counters report, so that callers can pick a measure by name.</summary>
public static class TextUnits
{
    /// <summary>twitter-text v3 weighted characters (X).</summary>
    public const string WeightedCharacters = "weighted characters";

    /// <summary>Characters as the platform counts them (Mastodon: grapheme clusters; LinkedIn: code points).</summary>
    public const string Characters = "characters";

    /// <summary>Grapheme clusters: what a reader sees as one character (Bluesky).</summary>
    public const string Graphemes = "graphemes";

    /// <summary>UTF-8 bytes (Bluesky's second limit).</summary>
    public const string Utf8Bytes = "bytes";

    /// <summary>Distinct links (Threads allows 5 a post).</summary>
    public const string Links = "links";
}

/// <summary>One limit a platform checks: how much of it the text uses, and how much is allowed.</summary>
/// <param name="Unit">What is counted, one of <see cref="TextUnits"/>.</param>
/// <param name="Count">How many the text has.</param>
/// <param name="Limit">How many the platform allows.</param>
public sealed record TextMeasure(string Unit, int Count, int Limit)
{
    /// <summary>Whether <see cref="Count"/> is at most <see cref="Limit"/>.</summary>
    public bool IsWithinLimit => Count <= Limit;

    /// <summary>"26/280 weighted characters", for previews.</summary>
    public override string ToString() => $"{Count}/{Limit} {Unit}";
}

/// <summary>
/// What a counter found in a text: its main measure (<see cref="Count"/> of <see cref="Limit"/>
/// <see cref="Unit"/>, shown as "count/limit" in previews) and every other limit the platform checks
/// (Bluesky's bytes, Threads' links). The text fits only if every measure is within its limit.
/// </summary>
public sealed record TextCount
{
    /// <param name="measures">The main measure first, then any others; at least one.</param>
    /// <param name="hasInvalidCharacters">The text holds characters the platform refuses outright.</param>
    public TextCount(IReadOnlyList<TextMeasure> measures, bool hasInvalidCharacters = false)
    {
        ArgumentNullException.ThrowIfNull(measures);
        if (measures.Count == 0)
        {
            throw new ArgumentException("A count needs at least one measure.", nameof(measures));
        }

        Measures = measures;
        HasInvalidCharacters = hasInvalidCharacters;
    }

    /// <summary>Every measure the platform checks, the main one first.</summary>
    public IReadOnlyList<TextMeasure> Measures { get; }

    /// <summary>The main measure's count (X: weighted length; Bluesky: graphemes).</summary>
    public int Count => Measures[0].Count;

    /// <summary>The main measure's limit.</summary>
    public int Limit => Measures[0].Limit;

    /// <summary>The main measure's unit.</summary>
    public string Unit => Measures[0].Unit;

    /// <summary>
    /// Whether the text holds characters the platform refuses whatever the length (X: U+FFFE, U+FEFF, U+FFFF).
    /// </summary>
    public bool HasInvalidCharacters { get; }

    /// <summary>Whether every measure is within its limit.</summary>
    public bool IsWithinLimit => Measures.All(measure => measure.IsWithinLimit);

    /// <summary>
    /// Whether the text can be posted as it is: not empty, within every limit, no invalid characters
    /// (twitter-text's <c>valid</c>: 0 &lt; weighted length ≤ 280 and no invalid characters).
    /// </summary>
    public bool IsValid => Count > 0 && IsWithinLimit && !HasInvalidCharacters;

    /// <summary>The measure in <paramref name="unit"/>, or null when the platform does not count it.</summary>
    public TextMeasure? Measure(string unit) => Measures.FirstOrDefault(measure => measure.Unit == unit);

    /// <summary>"26/280 weighted characters", or "12/300 graphemes, 40/3000 bytes" when there are several.</summary>
    public override string ToString() => string.Join(", ", Measures);
}
