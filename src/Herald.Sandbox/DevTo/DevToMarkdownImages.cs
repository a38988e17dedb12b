using System.Text.RegularExpressions;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.DevTo;

/// <summary>
/// The images of an article as Forem shows them (docs/platforms.md, Dev.to, "Images"): the cover from
/// <c>main_image</c> and the Markdown images of the body (<c>![alt](url)</c> or <c>![alt](&lt;url&gt;)</c>), by their
/// URLs; Forem has no upload, so the sandbox keeps the URLs and does not download them.
/// </summary>
internal static partial class DevToMarkdownImages
{
    /// <summary>Every Markdown image of <paramref name="markdown"/>: its alt text (unescaped) and URL.</summary>
    public static IReadOnlyList<(string Alt, string Url)> Find(string markdown) =>
        [.. ImagePattern().Matches(markdown).Select(m => (Unescape(m.Groups["alt"].Value), m.Groups["angled"].Success ? m.Groups["angled"].Value : m.Groups["plain"].Value))];

    /// <summary>The article's images for the sandbox's pages and <c>/_sandbox/posts</c>: the cover first (no alt text), then the body's.</summary>
    public static IReadOnlyList<SandboxImage> Of(DevToArticle article) =>
        [.. (article.MainImage is { Length: > 0 } cover ? [("", cover)] : Array.Empty<(string, string)>()).Concat(Find(article.BodyMarkdown))
            .Select(i => new SandboxImage(i.Item1, "", 0, 0, 0, i.Item2))];

    /// <summary>A paragraph that is one image alone, as an HTML figure; null for any other paragraph.</summary>
    public static (string Alt, string Url)? Alone(string paragraph) =>
        ImagePattern().Match(paragraph) is { Success: true } match && match.Length == paragraph.Length
            ? (Unescape(match.Groups["alt"].Value), match.Groups["angled"].Success ? match.Groups["angled"].Value : match.Groups["plain"].Value)
            : null;

    private static string Unescape(string alt) => BackslashEscape().Replace(alt, "$1");

    [GeneratedRegex(@"!\[(?<alt>(?:\\.|[^\]\\])*)\]\((?:<(?<angled>[^>\s]+)>|(?<plain>[^)\s]+))\)", RegexOptions.CultureInvariant)]
    private static partial Regex ImagePattern();

    [GeneratedRegex(@"\\(.)", RegexOptions.CultureInvariant)]
    private static partial Regex BackslashEscape();
}
