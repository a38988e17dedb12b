using System.Text;
using Herald.Validation;

namespace Herald.Contents;

/// <summary>The rules every content follows, whatever the platform.</summary>
public static class ContentRules
{
    /// <summary>
    /// Every platform-independent problem of <paramref name="content"/>: required fields, text that is not valid
    /// Unicode or holds a NUL character (no platform nor database takes either), a title, author, series, language
    /// or canonical URL longer than Herald stores, and a body over <see cref="ContentLimits.MaxContentBytes"/>.
    /// </summary>
    /// <param name="content">The content.</param>
    /// <param name="limits">The configured limits; the defaults when null.</param>
    public static IReadOnlyList<ValidationProblem> Validate(Content content, ContentLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        limits ??= new ContentLimits();
        var problems = new List<ValidationProblem>();
        if (content.Type == ContentType.Article && string.IsNullOrWhiteSpace(content.Title))
        {
            problems.Add(new ValidationProblem("title", "is required for an article (add 'title:' to the front matter, or 'type: post' for a short post)"));
        }

        if (string.IsNullOrWhiteSpace(content.Body))
        {
            problems.Add(new ValidationProblem("body", "must not be empty"));
        }

        for (var i = 0; i < content.Tags.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(content.Tags[i]))
            {
                problems.Add(new ValidationProblem($"tags[{i}]", "must not be empty"));
            }
        }

        foreach (var (field, text) in Texts(content))
        {
            if (TextProblem(text) is { } problem)
            {
                problems.Add(new ValidationProblem(field, problem));
            }
        }

        foreach (var (field, text, limit) in Bounded(content))
        {
            if (TooLong(text, limit) is { } characters)
            {
                problems.Add(new ValidationProblem(field, $"is {characters:N0} characters long; the limit is {limit:N0} characters"));
            }
        }

        // A UTF-16 code unit is at most 3 UTF-8 bytes: only a long body needs counting.
        if (content.Body.Length * 3L > limits.MaxContentBytes && Encoding.UTF8.GetByteCount(content.Body) is var bytes && bytes > limits.MaxContentBytes)
        {
            problems.Add(new ValidationProblem("body", TooLarge(bytes, limits)));
        }

        return problems;
    }

    /// <summary>
    /// Why <paramref name="text"/> cannot be published as text — a lone surrogate (invalid UTF-16) or a NUL
    /// character — or null when it can.
    /// </summary>
    public static string? TextProblem(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            return $"must not contain a NUL character (U+0000, first at character {nul + 1}); is it a binary file?";
        }

        var reversedMark = text.IndexOf('\uFFFE', StringComparison.Ordinal);
        if (reversedMark >= 0)
        {
            // A noncharacter that .NET's Unicode normalisation refuses (found by fuzzing, through Dev.to's tags).
            return $"must not contain U+FFFE (a reversed byte-order mark, first at character {reversedMark + 1}); is it UTF-16 text?";
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return $"must be valid Unicode text: it holds a lone surrogate U+{(int)text[i]:X4} at character {i + 1} (invalid UTF-16)";
            }
        }

        return null;
    }

    /// <summary>"is 600,000 bytes; the limit is 524,288 bytes (Herald:Limits:MaxContentBytes)".</summary>
    internal static string TooLarge(long bytes, ContentLimits limits) =>
        $"is {bytes:N0} bytes; the limit is {limits.MaxContentBytes:N0} bytes ({ContentLimits.Section}:{nameof(ContentLimits.MaxContentBytes)})";

    /// <summary>The fields stored in columns of a limited size, with that size (<see cref="ContentFieldLengths"/>).</summary>
    private static IEnumerable<(string Field, string? Text, int Limit)> Bounded(Content content)
    {
        yield return ("title", content.Title, ContentFieldLengths.Title);
        yield return ("author", content.Author, ContentFieldLengths.Author);
        yield return ("series", content.Series, ContentFieldLengths.Series);
        yield return ("language", content.Language, ContentFieldLengths.Language);
        yield return ("canonical_url", content.CanonicalUrl?.AbsoluteUri, ContentFieldLengths.CanonicalUrl);
    }

    /// <summary>The length of <paramref name="text"/> in code points when it is over <paramref name="limit"/>; otherwise null.</summary>
    private static int? TooLong(string? text, int limit)
    {
        // A code point is one or two UTF-16 code units: only a long text needs counting.
        if (text is null || text.Length <= limit)
        {
            return null;
        }

        var characters = text.EnumerateRunes().Count();
        return characters > limit ? characters : null;
    }

    /// <summary>Every free text of the content, with the field name a user knows it by.</summary>
    private static IEnumerable<(string Field, string? Text)> Texts(Content content)
    {
        yield return ("title", content.Title);
        yield return ("body", content.Body);
        yield return ("author", content.Author);
        yield return ("description", content.Description);
        yield return ("series", content.Series);
        yield return ("language", content.Language);
        for (var i = 0; i < content.Tags.Count; i++)
        {
            yield return ($"tags[{i}]", content.Tags[i]);
        }

        foreach (var (platform, settings) in content.Overrides)
        {
            foreach (var (key, value) in settings)
            {
                yield return ($"overrides.{platform}.{key}", value);
            }
        }
    }
}
