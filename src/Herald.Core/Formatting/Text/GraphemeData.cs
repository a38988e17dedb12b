namespace Herald.Formatting.Text;

/// <summary>Grapheme_Cluster_Break values (UAX #29); Other is every code point not listed.</summary>
internal enum GraphemeBreak : byte
{
    Other = 0,
    CR = 1,
    LF = 2,
    Control = 3,
    Extend = 4,
    ZWJ = 5,
    RegionalIndicator = 6,
    Prepend = 7,
    SpacingMark = 8,
    L = 9,
    V = 10,
    T = 11,
    LV = 12,
    LVT = 13,
}

/// <summary>Indic_Conjunct_Break values (Unicode 15.1 and later), which rule GB9c reads.</summary>
internal enum IndicConjunctBreak : byte
{
    None = 0,
    Consonant = 1,
    Linker = 2,
    Extend = 3,
}

/// <summary>
/// The properties grapheme segmentation reads, from the generated tables in GraphemeData.g.cs (Unicode 17.0,
/// the version of the ICU behind Bluesky's reference; docs/counting.md says how to regenerate them).
/// </summary>
internal static partial class GraphemeData
{
    /// <summary>The packed properties of <paramref name="codePoint"/>; see <see cref="RunValues"/>.</summary>
    public static byte Properties(int codePoint)
    {
        var index = Array.BinarySearch(RunStarts, codePoint);
        return RunValues[index >= 0 ? index : ~index - 1];
    }

    public static GraphemeBreak Break(byte properties) => (GraphemeBreak)(properties & 0x0F);

    public static IndicConjunctBreak Conjunct(byte properties) => (IndicConjunctBreak)((properties >> 4) & 0x03);

    public static bool IsExtendedPictographic(byte properties) => (properties & 0x40) != 0;
}
