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
        // A post that opens with plain prose, as most do, needs no parse.
        return PlainFirstParagraph(markdown) ?? ParseFirstParagraph(markdown);
    }

    /// <summary>What <see cref="FirstParagraph"/> does when the text alone cannot say what its first paragraph is.</summary>
    internal static string ParseFirstParagraph(string markdown)
    {
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
    /// The first paragraph read from the text alone, or null when that cannot be done safely. It can when the body
    /// opens (after blank lines) with a block whose lines hold only letters, digits, spaces, tabs and punctuation that
    /// means nothing to Markdown there, whose first line starts with a letter and whose other lines start with a letter
    /// or such punctuation (so that none starts a heading, a list, a quotation, a fence or front matter): such a block
    /// is a paragraph of plain text.
    /// </summary>
    internal static string? PlainFirstParagraph(string markdown)
    {
        var rest = markdown.AsSpan();
        var block = new StringBuilder();
        while (rest.Length > 0)
        {
            var end = rest.IndexOf('\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (line.EndsWith('\r'))
            {
                line = line[..^1];
            }

            var text = line.TrimStart(" \t");
            if (text.IsEmpty)
            {
                if (block.Length > 0)
                {
                    break;
                }

                continue;
            }

            // The first line unindented (four spaces would make code); later ones may be, as a paragraph continues.
            if (block.Length == 0 ? !char.IsLetter(line[0]) : !(char.IsLetter(text[0]) || PlainOpening.Contains(text[0])))
            {
                return null;
            }

            foreach (var c in text)
            {
                if (!char.IsLetterOrDigit(c) && c is not (' ' or '\t') && !PlainOpening.Contains(c) && !PlainWithin.Contains(c))
                {
                    return null;
                }
            }

            block.Append(text).Append(' ');
        }

        return block.Length == 0 ? null : CollapseWhitespace(block.ToString());
    }

    /// <summary>Punctuation that can open a line of a paragraph without starting another block.</summary>
    private const string PlainOpening = "\"'(),.:;?!/%$@";

    /// <summary>Punctuation that means nothing inside a line but may start a block at its beginning.</summary>
    private const string PlainWithin = "-+=#>~|";

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

        // Nothing to resolve when every link is absolute, as in most posts: that spares them a parse.
        return HasOnlyAbsoluteLinks(markdown) ? markdown : ResolveLinks(markdown, baseUri);
    }

    /// <summary>What <see cref="MakeLinksAbsolute"/> does when the text alone cannot say that nothing is relative.</summary>
    internal static string ResolveLinks(string markdown, Uri baseUri)
    {
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

    /// <summary>
    /// True when no link destination in <paramref name="markdown"/> can be relative, read from the text alone: there
    /// is no reference definition (<c>]:</c>), and every <c>](</c> is followed (after whitespace and an optional
    /// <c>&lt;</c>) by a scheme, a <c>#</c> or the destination's end. Conservative: text that only looks like a link,
    /// in code say, is held to the same rule, and anything else (an escape, an entity) leaves the answer to the parser.
    /// </summary>
    internal static bool HasOnlyAbsoluteLinks(string markdown)
    {
        if (markdown.Contains("]:", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = markdown.AsSpan();
        for (var at = rest.IndexOf("](", StringComparison.Ordinal); at >= 0; at = rest.IndexOf("](", StringComparison.Ordinal))
        {
            rest = rest[(at + 2)..];
            var destination = rest.TrimStart(" \t\r\n");
            var pointy = destination.Length > 0 && destination[0] == '<';
            if (pointy)
            {
                destination = destination[1..];
            }

            if (destination.Length == 0 || destination[0] == '#' || destination[0] == (pointy ? '>' : ')'))
            {
                continue;
            }

            if (!HasScheme(destination))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="url"/> starts with a URI scheme (<c>https:</c>, <c>mailto:</c>, …).</summary>
    internal static bool HasScheme(string url) => HasScheme(url.AsSpan());

    private static bool HasScheme(ReadOnlySpan<char> url)
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
