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

        // Grapheme boundaries, found only as far as the search reaches; boundaries[low] fits (the empty start always
        // counts as fitting) and boundaries[high] does not. The steps double first and halve after, so the cost grows
        // with the length that fits, not with the length of the text (a long text over a short limit stays cheap).
        var boundaries = new List<int> { 0 };
        int Boundary(int index)
        {
            while (boundaries.Count <= index && boundaries[^1] < text.Length)
            {
                boundaries.Add(boundaries[^1] + Graphemes.NextLength(text.AsSpan(boundaries[^1])));
            }

            return Math.Min(index, boundaries.Count - 1);
        }

        var (low, high) = (0, -1);
        for (var step = 1; high < 0; step *= 2)
        {
            var probe = Boundary(low + step);
            if (boundaries[probe] == text.Length || !fits(text[..boundaries[probe]]))
            {
                high = probe;
            }
            else
            {
                low = probe;
            }
        }

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
