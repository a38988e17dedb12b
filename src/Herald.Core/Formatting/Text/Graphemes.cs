using System.Text;

namespace Herald.Formatting.Text;

/// <summary>
/// Extended grapheme clusters as UAX #29 defines them today, what a reader sees as one character and what Bluesky
/// counts (docs/counting.md). .NET's <c>StringInfo</c> does not apply rule GB9c (Unicode 15.1), which keeps an Indic
/// conjunct such as "न्दी" in one cluster, so Herald segments with its own copy of the rules over generated
/// Unicode 17 tables.
/// </summary>
internal static class Graphemes
{
    /// <summary>How many grapheme clusters <paramref name="text"/> has.</summary>
    public static int Count(ReadOnlySpan<char> text)
    {
        var count = 0;
        while (!text.IsEmpty)
        {
            text = text[NextLength(text)..];
            count++;
        }

        return count;
    }

    /// <summary>The length in UTF-16 code units of the grapheme cluster that starts <paramref name="text"/>; 0 when empty.</summary>
    public static int NextLength(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return 0;
        }

        var position = Decode(text, out var previous);
        var previousBreak = GraphemeData.Break(previous);

        // GB11: Extended_Pictographic Extend* ZWJ × Extended_Pictographic.
        var pictographic = GraphemeData.IsExtendedPictographic(previous);
        var pictographicZwj = false;

        // GB9c: Consonant [Extend Linker]* Linker [Extend Linker]* × Consonant.
        var conjunct = GraphemeData.Conjunct(previous) == IndicConjunctBreak.Consonant;
        var conjunctLinked = false;

        // GB12, GB13: regional indicators pair up.
        var regionalIndicators = previousBreak == GraphemeBreak.RegionalIndicator ? 1 : 0;

        while (position < text.Length)
        {
            var length = Decode(text[position..], out var next);
            var nextBreak = GraphemeData.Break(next);
            if (IsBoundary(previousBreak, nextBreak, next, pictographicZwj, conjunct && conjunctLinked, regionalIndicators))
            {
                break;
            }

            pictographicZwj = pictographic && nextBreak == GraphemeBreak.ZWJ;
            pictographic = GraphemeData.IsExtendedPictographic(next) || (pictographic && nextBreak == GraphemeBreak.Extend);

            switch (GraphemeData.Conjunct(next))
            {
                case IndicConjunctBreak.Consonant:
                    conjunct = true;
                    conjunctLinked = false;
                    break;
                case IndicConjunctBreak.Linker:
                    conjunctLinked |= conjunct;
                    break;
                case IndicConjunctBreak.Extend:
                    break;
                default:
                    conjunct = false;
                    conjunctLinked = false;
                    break;
            }

            regionalIndicators = nextBreak == GraphemeBreak.RegionalIndicator ? regionalIndicators + 1 : 0;
            previousBreak = nextBreak;
            position += length;
        }

        return position;
    }

    private static bool IsBoundary(
        GraphemeBreak previous, GraphemeBreak next, byte nextProperties, bool afterPictographicZwj, bool afterLinkedConsonant,
        int regionalIndicators)
    {
        switch (previous, next)
        {
            case (GraphemeBreak.CR, GraphemeBreak.LF):
                return false; // GB3
            case (GraphemeBreak.CR or GraphemeBreak.LF or GraphemeBreak.Control, _):
                return true; // GB4
            case (_, GraphemeBreak.CR or GraphemeBreak.LF or GraphemeBreak.Control):
                return true; // GB5
            case (GraphemeBreak.L, GraphemeBreak.L or GraphemeBreak.V or GraphemeBreak.LV or GraphemeBreak.LVT):
                return false; // GB6
            case (GraphemeBreak.LV or GraphemeBreak.V, GraphemeBreak.V or GraphemeBreak.T):
                return false; // GB7
            case (GraphemeBreak.LVT or GraphemeBreak.T, GraphemeBreak.T):
                return false; // GB8
            case (_, GraphemeBreak.Extend or GraphemeBreak.ZWJ or GraphemeBreak.SpacingMark):
                return false; // GB9, GB9a
            case (GraphemeBreak.Prepend, _):
                return false; // GB9b
        }

        if (afterLinkedConsonant && GraphemeData.Conjunct(nextProperties) == IndicConjunctBreak.Consonant)
        {
            return false; // GB9c
        }

        if (afterPictographicZwj && GraphemeData.IsExtendedPictographic(nextProperties))
        {
            return false; // GB11
        }

        // GB12, GB13: break between regional indicators only after an even number of them.
        return !(previous == GraphemeBreak.RegionalIndicator && next == GraphemeBreak.RegionalIndicator && regionalIndicators % 2 == 1);
    }

    /// <summary>Decodes the code point that starts <paramref name="text"/>; a lone surrogate is a Control of its own.</summary>
    private static int Decode(ReadOnlySpan<char> text, out byte properties)
    {
        if (Rune.DecodeFromUtf16(text, out var rune, out var length) == System.Buffers.OperationStatus.Done)
        {
            properties = GraphemeData.Properties(rune.Value);
            return length;
        }

        properties = GraphemeData.Properties(text[0]);
        return 1;
    }
}
