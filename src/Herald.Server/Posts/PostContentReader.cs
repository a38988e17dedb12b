using Herald.Contents;
using Herald.Formatting;

namespace Herald.Server.Posts;

/// <summary>Reads a <see cref="PostRequest"/>'s content (Markdown with front matter, or the fields), every problem named with its field.</summary>
internal static class PostContentReader
{
    /// <summary>The content from Markdown with front matter, or from the fields; null (with the problems) when it cannot be read.</summary>
    public static Content? Read(PostRequest request, DateTimeOffset now, ContentLimits limits, List<(string, string)> problems)
    {
        if (request.Markdown is not null)
        {
            if (request.Body is not null || request.Title is not null)
            {
                problems.Add(("markdown", "give either markdown (with front matter) or title and body, not both"));
                return null;
            }

            try
            {
                var parsed = MarkdownDocument.Parse(request.Markdown, now, limits);
                // A path would be read from the server's own disk: any file there that decodes as an image could be
                // published by whoever may call the API. Over HTTP, images come by URL (fetched through the guarded client).
                var found = problems.Count;
                for (var i = 0; i < parsed.Images.Count; i++)
                {
                    if (!parsed.Images[i].IsRemote)
                    {
                        problems.Add(($"images[{i}].src", $"must be an http(s) URL, not '{parsed.Images[i].Source}': the server does not read files from its own disk (put the image at a public URL, or post from the command line, which reads local files)"));
                    }
                }

                return problems.Count > found ? null : parsed;
            }
            catch (Herald.Validation.ContentValidationException ex)
            {
                problems.AddRange(ex.Problems.Select(p => (p.Field == "file" ? "markdown" : p.Field, p.Message)));
                return null;
            }
        }

        var before = problems.Count;
        if (string.IsNullOrWhiteSpace(request.Body))
        {
            problems.Add(("body", "is required (or give markdown with front matter)"));
        }

        var type = string.IsNullOrWhiteSpace(request.Title) ? ContentType.Post : ContentType.Article;
        if (request.Type is not null && !Enum.TryParse(request.Type, ignoreCase: true, out type))
        {
            problems.Add(("type", $"must be article or post, not '{request.Type}'"));
        }

        if (type == ContentType.Article && string.IsNullOrWhiteSpace(request.Title))
        {
            problems.Add(("title", "is required for an article (or set type to post)"));
        }

        var canonical = ReadUrl(request.CanonicalUrl, "canonicalUrl", problems);
        var cover = ReadUrl(request.CoverImage, "coverImage", problems);
        if (problems.Count > before)
        {
            return null;
        }

        var content = new Content
        {
            Type = type,
            Title = request.Title?.Trim() ?? "",
            Body = request.Body!,
            Description = request.Description,
            Tags = request.Tags ?? [],
            CanonicalUrl = canonical,
            CoverImage = cover,
            Series = request.Series,
            Language = request.Language,
            Author = request.Author,
            Thread = request.Thread ?? false,
            NumberThreadParts = request.ThreadNumbering ?? true,
            Overrides = request.Overrides?.ToDictionary(
                o => o.Key, o => (IReadOnlyDictionary<string, string>)o.Value, StringComparer.OrdinalIgnoreCase)
                ?? new Dictionary<string, IReadOnlyDictionary<string, string>>(),
            CreatedAt = now,
        };
        var rules = ContentRules.Validate(content, limits);
        problems.AddRange(rules.Select(p => (p.Field, p.Message)));
        return rules.Count > 0 ? null : content;
    }

    private static Uri? ReadUrl(string? text, string field, List<(string, string)> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "https" or "http")
        {
            return url;
        }

        problems.Add((field, "must be an absolute http(s) URL"));
        return null;
    }
}
