using System.Text;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Herald.Formatting;

/// <summary>
/// Small Markdown (CommonMark) helpers shared by the platform renderers, built on Markdig with precise
/// source locations so that edits touch only the characters they mean to.
/// </summary>
public static class MarkdownText
{
    // Front matter is recognised so that it is never mistaken for a paragraph or a thematic break;
    // precise source locations give the exact span of every link destination.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UsePreciseSourceLocation()
        .Build();

    /// <summary>
    /// The plain text of the first paragraph in reading order (nested ones included), for a description
    /// or a teaser. Headings, front matter, code blocks and HTML blocks are skipped, and so is a paragraph
    /// that holds only images. Inline markup is stripped: a link becomes its text, an image its alt text,
    /// code keeps its content, and line breaks and runs of whitespace become one space.
    /// </summary>
    /// <returns>The text, trimmed; empty when the body has no paragraph with text.</returns>
    public static string FirstParagraph(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var paragraph in document.Descendants<ParagraphBlock>())
        {
            if (paragraph.Inline is null)
            {
                continue;
            }

            // A paragraph of images only is a figure, not prose; inside prose an image reads as its alt text.
            var withoutImages = new StringBuilder();
            AppendPlainText(paragraph.Inline, withoutImages, imagesAsAltText: false);
            if (CollapseWhitespace(withoutImages.ToString()).Length == 0)
            {
                continue;
            }

            var text = new StringBuilder();
            AppendPlainText(paragraph.Inline, text, imagesAsAltText: true);
            return CollapseWhitespace(text.ToString());
        }

        return "";
    }

    /// <summary>
    /// Resolves every relative link and image destination against <paramref name="baseUri"/>, following
    /// RFC 3986 (so <c>img.png</c> against <c>https://example.com/posts/hello</c> becomes
    /// <c>https://example.com/posts/img.png</c>). Inline links, inline images and link reference
    /// definitions are rewritten; autolinks are absolute by definition and left alone, as are absolute
    /// URLs (any scheme, including <c>mailto:</c>), fragment-only links (<c>#section</c>) and empty
    /// destinations. Links inside code spans and code blocks are not links and are untouched.
    /// Every other character of <paramref name="markdown"/> is kept exactly as it was.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="baseUri"/> is not absolute.</exception>
    public static string MakeLinksAbsolute(string markdown, Uri baseUri)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        ArgumentNullException.ThrowIfNull(baseUri);
        if (!baseUri.IsAbsoluteUri)
        {
            throw new ArgumentException($"The base URI '{baseUri}' must be absolute.", nameof(baseUri));
        }

        var document = Markdown.Parse(markdown, Pipeline);
        var edits = new Dictionary<int, (int End, string Replacement)>();

        foreach (var link in document.Descendants<LinkInline>())
        {
            // A reference-style link carries its definition's URL (and span); the definition is rewritten
            // once below. Markdig's own autolink extension (bare www.…) is absolute by construction.
            if (link.Reference is not null || link.IsAutoLink)
            {
                continue;
            }

            AddEdit(edits, markdown, link.Url, link.UrlSpan, baseUri);
        }

        foreach (var definition in document.Descendants<LinkReferenceDefinition>())
        {
            AddEdit(edits, markdown, definition.Url, definition.UrlSpan, baseUri);
        }

        if (edits.Count == 0)
        {
            return markdown;
        }

        // Replace from the end so that earlier spans keep their offsets.
        var result = new StringBuilder(markdown);
        foreach (var (start, (end, replacement)) in edits.OrderByDescending(e => e.Key))
        {
            result.Remove(start, end - start + 1).Insert(start, replacement);
        }

        return result.ToString();
    }

    /// <summary>True when <paramref name="url"/> starts with a URI scheme (<c>https:</c>, <c>mailto:</c>, …).</summary>
    internal static bool HasScheme(string url)
    {
        // Checked by hand: on Unix, Uri.TryCreate treats "/path" as an absolute file:// URI.
        if (url.Length == 0 || !char.IsAsciiLetter(url[0]))
        {
            return false;
        }

        for (var i = 1; i < url.Length; i++)
        {
            var c = url[i];
            if (c == ':')
            {
                return true;
            }

            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return false;
    }

    private static void AddEdit(
        Dictionary<int, (int End, string Replacement)> edits, string markdown, string? url, SourceSpan span, Uri baseUri)
    {
        if (string.IsNullOrEmpty(url) || url.StartsWith('#') || HasScheme(url) || span.IsEmpty ||
            span.Start < 0 || span.End >= markdown.Length)
        {
            return;
        }

        if (!Uri.TryCreate(baseUri, url, out var absolute))
        {
            return;
        }

        var original = markdown.AsSpan(span.Start, span.Length);
        var pointy = original.Length >= 2 && original[0] == '<' && original[^1] == '>';
        var replacement = EscapeDestination(absolute.AbsoluteUri, pointy);
        edits.TryAdd(span.Start, (span.End, pointy ? $"<{replacement}>" : replacement));
    }

    /// <summary>
    /// Makes an absolute URI safe as a link destination. <see cref="Uri.AbsoluteUri"/> already
    /// percent-encodes spaces and controls; parentheses and angle brackets would still end the destination.
    /// </summary>
    private static string EscapeDestination(string uri, bool pointy)
    {
        var escaped = new StringBuilder(uri.Length);
        foreach (var c in uri)
        {
            if (c is '<' or '>' || (!pointy && c is '(' or ')'))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static void AppendPlainText(Inline? inline, StringBuilder text, bool imagesAsAltText)
    {
        for (var current = inline; current is not null; current = current.NextSibling)
        {
            switch (current)
            {
                case LinkInline { IsImage: true } image:
                    if (imagesAsAltText)
                    {
                        AppendPlainText(image.FirstChild, text, imagesAsAltText);
                    }

                    break;
                case LiteralInline literal:
                    text.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.Url);
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.AsSpan());
                    break;
                case LineBreakInline:
                    text.Append(' ');
                    break;
                case HtmlInline:
                    break;
                case ContainerInline container:
                    AppendPlainText(container.FirstChild, text, imagesAsAltText);
                    break;
            }
        }
    }

    private static string CollapseWhitespace(string text)
    {
        var collapsed = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = collapsed.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                collapsed.Append(' ');
                pendingSpace = false;
            }

            collapsed.Append(c);
        }

        return collapsed.ToString();
    }
}
