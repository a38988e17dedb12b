using System.Text;

namespace Herald.Formatting.Text;

/// <summary>
/// The units every platform's counter is built from. The counters themselves live with their platforms
/// (<c>Herald.Platforms/X/XTextCounter.cs</c> …), each exactly as docs/platforms.md describes the platform's rule.
/// </summary>
internal static class TextCounter
{
    /// <summary>Extended grapheme clusters (UAX #29 as of Unicode 17), what a reader sees as one character.</summary>
    internal static int Graphemes(string text) => Text.Graphemes.Count(text);

    /// <summary>
    /// NFC as twitter-text applies it (JavaScript's <c>normalize()</c>). .NET refuses to normalise text with
    /// a lone surrogate, which JavaScript leaves as it is; so do we.
    /// </summary>
    internal static string NormalizeNfc(string text)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return text;
        }
    }
}
