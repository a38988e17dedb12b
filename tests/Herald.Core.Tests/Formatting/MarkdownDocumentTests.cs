using Herald.Contents;
using Herald.Formatting;
using Herald.Validation;

namespace Herald.Core.Tests.Formatting;

public sealed class MarkdownDocumentTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_FullFrontMatter_ReadsEveryField()
    {
        const string text = """
            ---
            title: Hello Herald
            description: Write once, publish everywhere.
            tags: [dotnet, csharp, OpenSource]
            canonical_url: https://blog.example.com/hello-herald
            cover_image: https://blog.example.com/cover.png
            series: Herald diaries
            language: en
            overrides:
              devto:
                title: Hello, Dev.to
            ---
            First paragraph.

            Second paragraph.
            """;

        var content = MarkdownDocument.Parse(text, Now);

        Assert.Equal(ContentType.Article, content.Type);
        Assert.Equal("Hello Herald", content.Title);
        Assert.Equal("Write once, publish everywhere.", content.Description);
        Assert.Equal(["dotnet", "csharp", "OpenSource"], content.Tags);
        Assert.Equal(new Uri("https://blog.example.com/hello-herald"), content.CanonicalUrl);
        Assert.Equal(new Uri("https://blog.example.com/cover.png"), content.CoverImage);
        Assert.Equal("Herald diaries", content.Series);
        Assert.Equal("en", content.Language);
        Assert.Equal("Hello, Dev.to", content.OverrideFor("devto", "title"));
        Assert.Equal("First paragraph.\n\nSecond paragraph.", content.Body);
        Assert.Equal(Now, content.CreatedAt);
    }

    [Fact]
    public void Parse_CommaSeparatedTags_SplitsAndDropsDuplicates()
    {
        var content = MarkdownDocument.Parse("---\ntitle: T\ntags: a, b ,A,\n---\nBody", Now);

        Assert.Equal(["a", "b"], content.Tags);
    }

    [Fact]
    public void Parse_NoFrontMatterAndNoTitle_IsAPost()
    {
        var content = MarkdownDocument.Parse("Just a thought.", Now);

        Assert.Equal(ContentType.Post, content.Type);
        Assert.Equal("Just a thought.", content.Body);
    }

    [Fact]
    public void Parse_ArticleWithoutTitle_NamesTheTitleField()
    {
        var ex = Assert.Throws<ContentValidationException>(() => MarkdownDocument.Parse("---\ntype: article\n---\nBody", Now));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("title", problem.Field);
        Assert.Contains("is required", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedYaml_NamesFrontMatterAndLine()
    {
        var ex = Assert.Throws<ContentValidationException>(() =>
            MarkdownDocument.Parse("---\ntitle: Hello\ntags: [a, b\n---\nBody", Now));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("front matter", problem.Field);
        Assert.Contains("not valid YAML", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnclosedFrontMatter_SaysSo()
    {
        var ex = Assert.Throws<ContentValidationException>(() => MarkdownDocument.Parse("---\ntitle: Hello\nBody", Now));

        Assert.Contains("no closing '---'", Assert.Single(ex.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEveryOne()
    {
        var ex = Assert.Throws<ContentValidationException>(() =>
            MarkdownDocument.Parse("---\ntitle: T\ncanonical_url: /relative\ncanonicl: x\ntype: essay\n---\nBody", Now));

        Assert.Equal(["canonicl", "type", "canonical_url"], ex.Problems.Select(p => p.Field));
        Assert.StartsWith("3 problems:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyBody_IsRefused()
    {
        var ex = Assert.Throws<ContentValidationException>(() => MarkdownDocument.Parse("---\ntitle: T\n---\n", Now));

        Assert.Equal("body", Assert.Single(ex.Problems).Field);
    }

    [Fact]
    public void Parse_WindowsLineEndingsAndBom_AreRead()
    {
        var content = MarkdownDocument.Parse("\uFEFF---\r\ntitle: T\r\n---\r\nBody\r\n", Now);

        Assert.Equal("T", content.Title);
        Assert.Equal("Body", content.Body);
    }

    [Fact]
    public void Parse_ThreadOptions_ReadAsFlags()
    {
        var content = MarkdownDocument.Parse("---\ntitle: T\nthread: true\nthread_numbering: no\n---\nBody.", Now);

        Assert.True(content.Thread);
        Assert.False(content.NumberThreadParts);
    }

    [Fact]
    public void Parse_NoThreadOptions_TeaserWithNumberingByDefault()
    {
        var content = MarkdownDocument.Parse("---\ntitle: T\n---\nBody.", Now);

        Assert.False(content.Thread);
        Assert.True(content.NumberThreadParts);
    }

    [Fact]
    public void Parse_ThreadNotABoolean_NamesTheKeyAndTheRule()
    {
        var ex = Assert.Throws<ContentValidationException>(() => MarkdownDocument.Parse("---\ntitle: T\nthread: sometimes\n---\nBody.", Now));

        Assert.Equal("thread: must be true or false, not 'sometimes'", Assert.Single(ex.Problems).ToString());
    }

    // Found by fuzzing: YAML the parser gives up on, and override keys that are not plain names, threw instead
    // of being reported.
    [Theory]
    [InlineData("---\n...\nx\n---\nBody")]
    [InlineData("---\n? complex: post\n: :\n---\nBody")]
    [InlineData("---\noverrides:\n  ? [a]\n  : b\n---\nBody")]
    [InlineData("---\noverrides:\n  x:\n    ? [k]\n    : v\n---\nBody")]
    public void Parse_HostileFrontMatter_IsAProblemNotAnException(string text)
    {
        var problems = Assert.Throws<ContentValidationException>(() => MarkdownDocument.Parse(text, Now)).Problems;

        Assert.Contains(problems, p => p.Field is "front matter" or "overrides" or "overrides.x");
    }

    [Fact]
    public void Parse_AliasBombInOverrides_IsRefusedBeforeAnythingIsExpanded()
    {
        // Found by the byte-level fuzz under load: a kilobyte of nested aliases under a key whose values are read
        // node by node ran the process out of memory.
        var yaml = new System.Text.StringBuilder("overrides:\n  x: &a0 {k: [lol, lol, lol, lol, lol, lol, lol, lol, lol]}\n");
        for (var level = 1; level < 12; level++)
        {
            yaml.Append($"  y{level}: &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 9))}]\n");
        }

        var problems = Assert.Throws<ContentValidationException>(() => MarkdownDocument.Parse($"---\n{yaml}---\nBody", Now)).Problems;

        Assert.Contains(problems, p => p.Field == "front matter" && p.Message.Contains("anchors or aliases", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_AliasBomb_IsRefusedWithoutExpandingIt()
    {
        var yaml = new System.Text.StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 1; level < 12; level++)
        {
            yaml.Append($"a{level}: &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 9))}]\n");
        }

        var problems = Assert.Throws<ContentValidationException>(() => MarkdownDocument.Parse($"---\n{yaml}title: *a11\n---\nBody", Now)).Problems;

        Assert.Contains(problems, p => p.Field == "front matter" && p.Message.Contains("anchors or aliases", StringComparison.Ordinal));
    }
}
