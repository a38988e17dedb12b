using Herald.Contents;
using Herald.Validation;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Herald.Formatting;

/// <summary>
/// The images of a Markdown file: front matter <c>images</c> (a list of <c>{src, alt}</c>) and, in a short post, the
/// Markdown images of the body (<c>![alt](src)</c>), which are taken out of the text so that the post carries the
/// image instead of its Markdown.
/// </summary>
internal static class MarkdownImages
{
    private static readonly string[] ItemKeys = ["src", "alt"];

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePreciseSourceLocation().Build();

    /// <summary>The images listed in front matter, each problem named by its place (<c>images[1].src</c>).</summary>
    public static List<ContentImage> FromFrontMatter(YamlMappingNode fields, List<ValidationProblem> problems)
    {
        var images = new List<ContentImage>();
        if (!fields.Children.TryGetValue(new YamlScalarNode("images"), out var node))
        {
            return images;
        }

        if (node is not YamlSequenceNode list)
        {
            problems.Add(new ValidationProblem("images", "must be a list of images, such as images: [{src: ./cover.png, alt: \"A red bicycle\"}]"));
            return images;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var field = $"images[{i}]";
            switch (list.Children[i])
            {
                case YamlScalarNode { Value: { Length: > 0 } src }:
                    Add(images, field, src, alt: null, problems);
                    break;
                case YamlMappingNode item:
                    FromItem(images, item, field, problems);
                    break;
                default:
                    problems.Add(new ValidationProblem(field, "must be a map with src and alt, such as {src: ./cover.png, alt: \"A red bicycle\"}"));
                    break;
            }
        }

        return images;
    }

    private static void FromItem(List<ContentImage> images, YamlMappingNode item, string field, List<ValidationProblem> problems)
    {
        string? src = null;
        string? alt = null;
        foreach (var (keyNode, valueNode) in item.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!ItemKeys.Contains(key, StringComparer.Ordinal))
            {
                problems.Add(new ValidationProblem($"{field}.{key}", $"is not a known image key; known keys: {string.Join(", ", ItemKeys)}"));
                continue;
            }

            if (valueNode is not YamlScalarNode scalar)
            {
                problems.Add(new ValidationProblem($"{field}.{key}", "must be a single value, not a list or a map"));
                continue;
            }

            if (key == "src")
            {
                src = scalar.Value;
            }
            else
            {
                // "alt:" with nothing after it is a forgotten alt text; alt: "" (quoted) is the explicit opt-out.
                alt = scalar.Value is { Length: > 0 } text ? text : scalar.Style is ScalarStyle.Plain ? null : "";
            }
        }

        if (string.IsNullOrWhiteSpace(src))
        {
            problems.Add(new ValidationProblem($"{field}.src", "is required: the image's path (relative to the Markdown file) or its http(s) URL"));
            return;
        }

        Add(images, field, src, alt, problems);
    }

    private static void Add(List<ContentImage> images, string field, string src, string? alt, List<ValidationProblem> problems)
    {
        src = src.Trim();
        if (SourceProblem(src) is { } problem)
        {
            problems.Add(new ValidationProblem($"{field}.src", problem));
            return;
        }

        images.Add(new ContentImage { Source = src, Alt = alt });
    }

    /// <summary>Why <paramref name="src"/> cannot be an image source: only local paths and http(s) URLs are.</summary>
    internal static string? SourceProblem(string src)
    {
        if (src.Length == 0)
        {
            return "must not be empty";
        }

        if (src.Contains('\0', StringComparison.Ordinal))
        {
            return "must not hold a NUL character";
        }

        var colon = src.IndexOf(':', StringComparison.Ordinal);
        var hasScheme = colon > 1 && src[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');
        if (hasScheme && !src.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !src.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return $"must be a local path or an http(s) URL, not '{src[..colon]}:'";
        }

        return hasScheme && !Uri.TryCreate(src, UriKind.Absolute, out _) ? $"is not a valid URL: '{src}'" : null;
    }

    /// <summary>
    /// Takes the Markdown images (<c>![alt](src)</c>) out of a short post's body: the images in order, and the body
    /// without them (blank lines left behind collapsed). An image without alt text (<c>![](src)</c>) has none.
    /// </summary>
    public static (string Body, List<ContentImage> Images) TakeFromBody(string body, int firstIndex, List<ValidationProblem> problems)
    {
        var images = new List<ContentImage>();
        if (!body.Contains("![", StringComparison.Ordinal))
        {
            return (body, images);
        }

        var document = Markdown.Parse(body, Pipeline);
        var found = document.Descendants<LinkInline>().Where(l => l.IsImage && !l.Span.IsEmpty).ToList();
        if (found.Count == 0)
        {
            return (body, images);
        }

        var text = body;
        foreach (var image in found.OrderByDescending(l => l.Span.Start))
        {
            text = text.Remove(image.Span.Start, image.Span.Length);
        }

        for (var i = 0; i < found.Count; i++)
        {
            var alt = string.Concat(found[i].Descendants<LiteralInline>().Select(l => l.Content.ToString())).Trim();
            Add(images, $"images[{firstIndex + i}]", found[i].Url ?? "", alt.Length > 0 ? alt : null, problems);
        }

        var lines = text.Split('\n').Select(l => l.TrimEnd()).ToList();
        var kept = new List<string>();
        foreach (var line in lines)
        {
            if (line.Length == 0 && (kept.Count == 0 || kept[^1].Length == 0))
            {
                continue;
            }

            kept.Add(line);
        }

        return (string.Join('\n', kept).Trim(), images);
    }
}
