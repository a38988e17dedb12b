namespace Herald.Formatting.Text;

/// <summary>Where a text too long for a platform stops fitting, so that a preview can mark only the part past the limit.</summary>
public static class TextFit
{
    /// <summary>
    /// The length in UTF-16 code units of the longest start of <paramref name="text"/>, cut between grapheme clusters,
    /// that <paramref name="fits"/>; null when the whole text fits. Found by halving: a start that fits is taken to
    /// mean every shorter start fits too, which holds for every platform's count except where cutting a link or a
    /// mention changes how it is counted, and there the answer is still a start that fits.
    /// </summary>
    public static int? FittingLength(string text, Func<string, bool> fits)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fits);
        if (fits(text))
        {
            return null;
        }

        var boundaries = new List<int> { 0 };
        for (var at = 0; at < text.Length;)
        {
            at += Graphemes.NextLength(text.AsSpan(at));
            boundaries.Add(at);
        }

        // boundaries[low] fits (the empty start always counts as fitting); boundaries[high] does not.
        var (low, high) = (0, boundaries.Count - 1);
        while (high - low > 1)
        {
            var middle = low + ((high - low) / 2);
            if (fits(text[..boundaries[middle]]))
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return boundaries[low];
    }

    /// <summary>The longest start of <paramref name="text"/> within every limit <paramref name="counter"/> checks; null when all of it is.</summary>
    public static int? FittingLength(string text, ITextCounter counter)
    {
        ArgumentNullException.ThrowIfNull(counter);
        return FittingLength(text, start => counter.Count(start).IsWithinLimit);
    }
}
