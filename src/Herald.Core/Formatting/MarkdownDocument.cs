using System.Text;
using Herald.Contents;
using Herald.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Herald.Formatting;

/// <summary>
/// Reads a Markdown file with optional YAML front matter into a <see cref="Content"/>. Every problem is
/// reported at once, naming the field and the rule; nothing half-read is ever returned.
/// </summary>
/// <remarks>
/// Front matter keys: <c>title</c>, <c>description</c>, <c>tags</c> (a list or a comma-separated string),
/// <c>canonical_url</c>, <c>cover_image</c>, <c>series</c>, <c>type</c> (<c>article</c> | <c>post</c>),
/// <c>language</c>, <c>author</c>, <c>images</c> (a list of <c>{src, alt}</c>), and <c>overrides</c>
/// (a map of platform id to a map of settings). A file without a title, or with <c>type: post</c>, is a post.
/// </remarks>
public static class MarkdownDocument
{
    /// <summary>The keys front matter may hold.</summary>
    public static readonly IReadOnlyList<string> KnownKeys =
    [
        "title", "description", "tags", "canonical_url", "cover_image", "series", "type", "language", "author",
        "overrides", "thread", "thread_numbering", "images",
    ];

    /// <summary>Reads Markdown with optional front matter; the text is refused whole when it is too large or not text.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="createdAt">When the content was created.</param>
    /// <param name="limits">The configured limits; the defaults when null.</param>
    /// <exception cref="ContentValidationException">The file cannot be read as Herald content.</exception>
    public static Content Parse(string text, DateTimeOffset createdAt, ContentLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        limits ??= new ContentLimits();

        // Checked before the YAML and Markdown parsers see it: neither needs to spend time on a binary blob.
        if (text.Length * 3L > limits.MaxContentBytes && Encoding.UTF8.GetByteCount(text) is var bytes && bytes > limits.MaxContentBytes)
        {
            throw new ContentValidationException([new ValidationProblem("file", ContentRules.TooLarge(bytes, limits))]);
        }

        if (ContentRules.TextProblem(text) is { } notText)
        {
            throw new ContentValidationException([new ValidationProblem("file", notText)]);
        }

        var problems = new List<ValidationProblem>();
        var (frontMatter, body) = SplitFrontMatter(text, problems);
        var fields = frontMatter is null ? new YamlMappingNode() : ReadFrontMatter(frontMatter, problems);
        if (fields is null || (frontMatter is null && problems.Count > 0))
        {
            // The front matter could not be read at all: field rules would only add noise.
            throw new ContentValidationException(problems);
        }

        var content = Build(fields, body.Trim('\n', '\r'), createdAt, problems);
        problems.AddRange(ContentRules.Validate(content, limits));
        return problems.Count > 0 ? throw new ContentValidationException(problems) : content;
    }

    /// <summary>
    /// Reads a Markdown file's bytes: refused whole, naming the rule, when larger than
    /// <see cref="ContentLimits.MaxContentBytes"/>, when it holds a NUL byte (a binary file) or when it is not
    /// valid UTF-8; then <see cref="Parse(string, DateTimeOffset, ContentLimits?)"/>.
    /// </summary>
    /// <exception cref="ContentValidationException">The file cannot be read as Herald content.</exception>
    public static Content Parse(ReadOnlySpan<byte> utf8, DateTimeOffset createdAt, ContentLimits? limits = null)
    {
        limits ??= new ContentLimits();
        if (utf8.Length > limits.MaxContentBytes)
        {
            throw new ContentValidationException([new ValidationProblem("file", ContentRules.TooLarge(utf8.Length, limits))]);
        }

        var nul = utf8.IndexOf((byte)0);
        if (nul >= 0)
        {
            throw new ContentValidationException([new ValidationProblem(
                "file", $"must be a text file, but holds a NUL byte at byte {nul + 1:N0} (is it a binary file?)")]);
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException ex)
        {
            throw new ContentValidationException([new ValidationProblem(
                "file", $"must be UTF-8 text, but byte {ex.Index + 1:N0} is not valid UTF-8 (is it a binary file, or another encoding?)")]);
        }

        return Parse(text, createdAt, limits);
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static (string? FrontMatter, string Body) SplitFrontMatter(string text, List<ValidationProblem> problems)
    {
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF');
        if (!normalized.StartsWith("---\n", StringComparison.Ordinal))
        {
            return (null, normalized);
        }

        var end = normalized.IndexOf("\n---", 3, StringComparison.Ordinal);
        while (end >= 0)
        {
            var after = end + 4;
            if (after == normalized.Length || normalized[after] == '\n')
            {
                return (normalized[4..(end + 1)], after == normalized.Length ? "" : normalized[(after + 1)..]);
            }

            end = normalized.IndexOf("\n---", after, StringComparison.Ordinal);
        }

        problems.Add(new ValidationProblem("front matter", "starts with '---' but has no closing '---' line"));
        return (null, normalized);
    }

    private static YamlMappingNode? ReadFrontMatter(string yaml, List<ValidationProblem> problems)
    {
        var stream = new YamlStream();
        try
        {
            if (UsesAnchors(yaml))
            {
                // An alias repeats a node wherever it is used: a kilobyte of "&a [*b, *b …]" becomes gigabytes when the
                // values are read (found by fuzzing: OutOfMemoryException). Front matter never needs them.
                problems.Add(new ValidationProblem("front matter", "uses YAML anchors or aliases (& and *), which Herald does not accept; write the values out"));
                return null;
            }

            stream.Load(new StringReader(yaml));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet reports some malformed streams with these instead of a YamlException (found by fuzzing:
            // "...\nx", "? complex: post\n: :").
            problems.Add(new ValidationProblem("front matter", "is not valid YAML: the parser could not read it to the end"));
            return null;
        }
        catch (YamlException ex)
        {
            var line = ex.Start.Line + 1; // the opening '---' is line 1 of the file
            problems.Add(new ValidationProblem("front matter", $"is not valid YAML at line {line}: {FirstSentence(ex.Message)}"));
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new YamlMappingNode();
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            problems.Add(new ValidationProblem("front matter", "must be a map of keys to values (key: value)"));
            return null;
        }

        foreach (var key in mapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? ""))
        {
            if (!KnownKeys.Contains(key))
            {
                problems.Add(new ValidationProblem(key, $"is not a known front matter key; known keys: {string.Join(", ", KnownKeys)}"));
            }
        }

        return mapping;
    }

    private static bool UsesAnchors(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        while (parser.MoveNext())
        {
            if (parser.Current is YamlDotNet.Core.Events.AnchorAlias or YamlDotNet.Core.Events.NodeEvent { Anchor.IsEmpty: false })
            {
                return true;
            }
        }

        return false;
    }

    private static Content Build(YamlMappingNode fields, string body, DateTimeOffset createdAt, List<ValidationProblem> problems)
    {
        var title = Scalar(fields, "title", problems)?.Trim() ?? "";
        var typeText = Scalar(fields, "type", problems)?.Trim().ToLowerInvariant();
        var type = typeText switch
        {
            null => title.Length == 0 ? ContentType.Post : ContentType.Article,
            "article" => ContentType.Article,
            "post" => ContentType.Post,
            _ => Invalid(problems, "type", $"must be 'article' or 'post', not '{typeText}'", ContentType.Article),
        };

        var overrides = Overrides(fields, problems);
        var images = MarkdownImages.FromFrontMatter(fields, problems);
        if (type == ContentType.Post)
        {
            (body, var inBody) = MarkdownImages.TakeFromBody(body, images.Count, problems);
            images.AddRange(inBody);
        }

        return new Content
        {
            Type = type,
            Title = title,
            Body = body,
            Author = Scalar(fields, "author", problems),
            Description = Scalar(fields, "description", problems)?.Trim(),
            Tags = Tags(fields, problems),
            CanonicalUrl = AbsoluteUrl(fields, "canonical_url", problems),
            CoverImage = AbsoluteUrl(fields, "cover_image", problems),
            Series = Scalar(fields, "series", problems)?.Trim(),
            Language = Scalar(fields, "language", problems)?.Trim(),
            Thread = Flag(fields, "thread", false, problems),
            NumberThreadParts = Flag(fields, "thread_numbering", true, problems),
            Overrides = overrides.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, string>)kv.Value),
            Images = images,
            CreatedAt = createdAt,
        };
    }

    private static bool Flag(YamlMappingNode fields, string key, bool fallback, List<ValidationProblem> problems)
    {
        var text = Scalar(fields, key, problems)?.Trim().ToLowerInvariant();
        return text switch
        {
            null or "" => fallback,
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => Invalid(problems, key, $"must be true or false, not '{text}'", fallback),
        };
    }

    private static string? Scalar(YamlMappingNode fields, string key, List<ValidationProblem> problems)
    {
        if (!fields.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            return string.IsNullOrEmpty(scalar.Value) ? null : scalar.Value;
        }

        problems.Add(new ValidationProblem(key, "must be a single value, not a list or a map"));
        return null;
    }

    private static List<string> Tags(YamlMappingNode fields, List<ValidationProblem> problems)
    {
        if (!fields.Children.TryGetValue(new YamlScalarNode("tags"), out var node))
        {
            return [];
        }

        IEnumerable<string?> raw;
        switch (node)
        {
            case YamlScalarNode scalar:
                raw = (scalar.Value ?? "").Split(',');
                break;
            case YamlSequenceNode sequence:
                var items = new List<string?>();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    if (sequence.Children[i] is YamlScalarNode item)
                    {
                        items.Add(item.Value);
                    }
                    else
                    {
                        problems.Add(new ValidationProblem($"tags[{i}]", "must be a single word or phrase, not a list or a map"));
                    }
                }

                raw = items;
                break;
            default:
                problems.Add(new ValidationProblem("tags", "must be a list (tags: [a, b]) or a comma-separated string"));
                return [];
        }

        return raw.Select(t => t?.Trim() ?? "").Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static Uri? AbsoluteUrl(YamlMappingNode fields, string key, List<ValidationProblem> problems)
    {
        var value = Scalar(fields, key, problems)?.Trim();
        if (value is null)
        {
            return null;
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        problems.Add(new ValidationProblem(key, $"must be an absolute http or https URL, not '{value}'"));
        return null;
    }

    private static Dictionary<string, Dictionary<string, string>> Overrides(YamlMappingNode fields, List<ValidationProblem> problems)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        if (!fields.Children.TryGetValue(new YamlScalarNode("overrides"), out var node))
        {
            return result;
        }

        if (node is not YamlMappingNode platforms)
        {
            problems.Add(new ValidationProblem("overrides", "must be a map of platform to settings (overrides: { devto: { title: … } })"));
            return result;
        }

        foreach (var (platformNode, settingsNode) in platforms.Children)
        {
            if (platformNode is not YamlScalarNode { Value: { } platform })
            {
                problems.Add(new ValidationProblem("overrides", "must name each platform with a plain key, not a list or a map"));
                continue;
            }

            if (settingsNode is not YamlMappingNode settings)
            {
                problems.Add(new ValidationProblem($"overrides.{platform}", "must be a map of setting to value"));
                continue;
            }

            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (keyNode, valueNode) in settings.Children)
            {
                if (keyNode is not YamlScalarNode { Value: { } key })
                {
                    problems.Add(new ValidationProblem($"overrides.{platform}", "must name each setting with a plain key, not a list or a map"));
                    continue;
                }

                if (valueNode is YamlScalarNode scalar)
                {
                    values[key] = scalar.Value ?? "";
                }
                else if (valueNode is YamlSequenceNode list)
                {
                    values[key] = string.Join(",", list.Children.OfType<YamlScalarNode>().Select(s => s.Value));
                }
                else
                {
                    problems.Add(new ValidationProblem($"overrides.{platform}.{key}", "must be a single value or a list"));
                }
            }

            result[Platforms.PlatformRegistry.Normalize(platform)] = values;
        }

        return result;
    }

    private static T Invalid<T>(List<ValidationProblem> problems, string field, string message, T fallback)
    {
        problems.Add(new ValidationProblem(field, message));
        return fallback;
    }

    private static string FirstSentence(string message)
    {
        var text = message.Split('\n')[0].Trim();
        var paren = text.IndexOf("): ", StringComparison.Ordinal);
        return (paren >= 0 ? text[(paren + 3)..] : text).TrimEnd('.');
    }
}
