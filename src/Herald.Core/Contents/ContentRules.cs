using Herald.Validation;

namespace Herald.Contents;

/// <summary>The rules every content follows, whatever the platform.</summary>
public static class ContentRules
{
    public static IReadOnlyList<ValidationProblem> Validate(Content content)
    {
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

        return problems;
    }
}
