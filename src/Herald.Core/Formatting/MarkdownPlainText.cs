using System.Text;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Herald.Formatting;

/// <summary>
/// Renders Markdown (CommonMark) as plain text for platforms that show no markup, such as LinkedIn:
/// a heading becomes a line of its own, a list item a bullet (<c>• item</c>, or <c>1. item</c> in an
/// ordered list), a link <c>text (url)</c>, an image its alt text, a quote its text, a code block its code.
/// Emphasis markers are dropped; blocks are separated by one blank line.
/// </summary>
public static class MarkdownPlainText
{
    private const string Bullet = "• ";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .Build();

    /// <summary>
    /// The plain text of <paramref name="markdown"/>. Relative link destinations are made absolute against
    /// <paramref name="baseUri"/> when one is given; without one they are shown as written.
    /// </summary>
    /// <returns>The text, without leading or trailing blank lines; empty for an empty body.</returns>
    public static string Render(string markdown, Uri? baseUri = null)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var document = Markdown.Parse(markdown, Pipeline);
        var blocks = new List<string>();
        AppendBlocks(document, blocks, baseUri, indent: "");
        return string.Join("\n\n", blocks.Where(b => b.Length > 0));
    }

    private static void AppendBlocks(ContainerBlock container, List<string> blocks, Uri? baseUri, string indent)
    {
        foreach (var block in container)
        {
            switch (block)
            {
                case YamlFrontMatterBlock or ThematicBreakBlock or LinkReferenceDefinitionGroup or HtmlBlock:
                    break;
                case HeadingBlock heading:
                    blocks.Add(indent + Inline(heading.Inline, baseUri));
                    break;
                case ParagraphBlock paragraph:
                    blocks.Add(Indent(Inline(paragraph.Inline, baseUri), indent));
                    break;
                case CodeBlock code:
                    blocks.Add(Indent(CodeText(code), indent));
                    break;
                case ListBlock list:
                    blocks.Add(ListText(list, baseUri, indent));
                    break;
                case ContainerBlock nested:
                    // Block quotes and other containers: their text, without markers.
                    AppendBlocks(nested, blocks, baseUri, indent);
                    break;
            }
        }
    }

    /// <summary>One line per item; an item's further paragraphs and nested lists are indented under it.</summary>
    private static string ListText(ListBlock list, Uri? baseUri, string indent)
    {
        var lines = new List<string>();
        var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var marker = list.IsOrdered ? $"{number++}. " : Bullet;
            var parts = new List<string>();
            AppendBlocks(item, parts, baseUri, indent + new string(' ', marker.Length));
            var first = parts.Count == 0 ? "" : parts[0].TrimStart();
            lines.Add(indent + marker + first);
            lines.AddRange(parts.Skip(1));
        }

        return string.Join("\n", lines);
    }

    private static string CodeText(CodeBlock code)
    {
        var text = new StringBuilder();
        var lines = code.Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0)
            {
                text.Append('\n');
            }

            text.Append(lines.Lines[i].Slice.AsSpan());
        }

        return text.ToString().TrimEnd();
    }

    private static string Indent(string text, string indent) =>
        indent.Length == 0 ? text : string.Join("\n", text.Split('\n').Select(l => indent + l));

    private static string Inline(ContainerInline? inline, Uri? baseUri)
    {
        var text = new StringBuilder();
        AppendInline(inline?.FirstChild, text, baseUri);
        return string.Join("\n", text.ToString().Split('\n').Select(l => l.Trim()));
    }

    private static void AppendInline(Inline? inline, StringBuilder text, Uri? baseUri)
    {
        for (var current = inline; current is not null; current = current.NextSibling)
        {
            switch (current)
            {
                case LinkInline { IsImage: true } image:
                    AppendInline(image.FirstChild, text, baseUri);
                    break;
                case LinkInline link:
                    AppendLink(link, text, baseUri);
                    break;
                case LiteralInline literal:
                    text.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.IsEmail ? autolink.Url : Absolute(autolink.Url, baseUri));
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.AsSpan());
                    break;
                case LineBreakInline lineBreak:
                    text.Append(lineBreak.IsHard ? '\n' : ' ');
                    break;
                case HtmlInline:
                    break;
                case ContainerInline container:
                    AppendInline(container.FirstChild, text, baseUri);
                    break;
            }
        }
    }

    private static void AppendLink(LinkInline link, StringBuilder text, Uri? baseUri)
    {
        var label = new StringBuilder();
        AppendInline(link.FirstChild, label, baseUri);
        var url = string.IsNullOrEmpty(link.Url) ? null : Absolute(link.Url, baseUri);
        var shown = label.ToString().Trim();
        if (url is null || url.StartsWith('#'))
        {
            text.Append(shown);
        }
        else if (shown.Length == 0 || string.Equals(shown, url, StringComparison.Ordinal) ||
                 string.Equals(shown, link.Url, StringComparison.Ordinal))
        {
            text.Append(url);
        }
        else
        {
            text.Append(shown).Append(" (").Append(url).Append(')');
        }
    }

    private static string Absolute(string url, Uri? baseUri) =>
        baseUri is { IsAbsoluteUri: true } && !url.StartsWith('#') && !MarkdownText.HasScheme(url) &&
        Uri.TryCreate(baseUri, url, out var absolute)
            ? absolute.AbsoluteUri
            : url;
}
