using System.Globalization;
using System.Text;

namespace Herald.Platforms.DevTo;

/// <summary>
/// Turns Herald tags into tags Forem accepts. Forem keeps at most 4 tags per article, each made of ASCII
/// letters and digits only (<c>/\A[a-z0-9]+\z/i</c>), at most 30 characters, stored lower-case
/// (docs/platforms.md, Dev.to, "Content limits").
/// </summary>
/// <remarks>
/// The rule, applied to each tag in order:
/// <list type="number">
/// <item>accents are removed (Unicode decomposition, combining marks dropped), so <c>Café</c> → <c>cafe</c>;</item>
/// <item>the tag is lower-cased (invariant culture);</item>
/// <item>every character that is not an ASCII letter or digit is dropped, so <c>C#</c> → <c>c</c>,
///   <c>Dot-Net</c> → <c>dotnet</c>, <c>node.js</c> → <c>nodejs</c>;</item>
/// <item>a tag left empty is dropped, and so is a repeat of an earlier tag;</item>
/// <item>the first 4 tags left are kept, the rest dropped.</item>
/// </list>
/// A kept tag longer than 30 characters is not cut (a cut tag would be a different tag): the adapter
/// reports it as a validation problem instead.
/// </remarks>
internal static class DevToTags
{
    public const int MaxTags = 4;
    public const int MaxTagLength = 30;

    /// <summary>One tag as it will be sent, with the position of the tag it came from.</summary>
    public readonly record struct NormalizedTag(string Tag, int SourceIndex);

    public static string Normalize(string tag)
    {
        var decomposed = tag.Normalize(NormalizationForm.FormD);
        var result = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            if (char.IsAsciiLetterLower(lower) || char.IsAsciiDigit(lower))
            {
                result.Append(lower);
            }
        }

        return result.ToString();
    }

    /// <summary>The tags to send, in order: normalised, without empties or repeats, at most <see cref="MaxTags"/>.</summary>
    public static IReadOnlyList<NormalizedTag> NormalizeAll(IReadOnlyList<string> tags)
    {
        var kept = new List<NormalizedTag>(MaxTags);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tags.Count && kept.Count < MaxTags; i++)
        {
            var tag = Normalize(tags[i]);
            if (tag.Length > 0 && seen.Add(tag))
            {
                kept.Add(new NormalizedTag(tag, i));
            }
        }

        return kept;
    }
}
