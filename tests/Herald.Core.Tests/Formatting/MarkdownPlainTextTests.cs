using Herald.Formatting;

namespace Herald.Core.Tests.Formatting;

public sealed class MarkdownPlainTextTests
{
    [Fact]
    public void Render_HeadingsParagraphsAndEmphasis_PlainLinesSeparatedByBlankLines()
    {
        var text = MarkdownPlainText.Render("# Title\n\nSome **bold** and _italic_ and `code`.\nSame paragraph.\n\n## Next\n\nEnd.");

        Assert.Equal("Title\n\nSome bold and italic and code. Same paragraph.\n\nNext\n\nEnd.", text);
    }

    [Fact]
    public void Render_Lists_BulletsAndNumbersWithNestedItemsIndented()
    {
        var text = MarkdownPlainText.Render("- one\n- two\n  - two a\n\n3. three\n4. four");

        Assert.Equal("• one\n• two\n  • two a\n\n3. three\n4. four", text);
    }

    [Fact]
    public void Render_Links_TextThenUrlMadeAbsoluteAgainstTheBase()
    {
        var text = MarkdownPlainText.Render(
            "See [the docs](/docs), <https://example.com/a>, [https://x.test/](https://x.test/) and [top](#top).",
            new Uri("https://blog.example.com/posts/hello"));

        Assert.Equal("See the docs (https://blog.example.com/docs), https://example.com/a, https://x.test/ and top.", text);
    }

    [Fact]
    public void Render_ImagesQuotesCodeBlocksAndHtml()
    {
        var text = MarkdownPlainText.Render("![A diagram](d.png)\n\n> Quoted *words*.\n\n```\nvar x = 1;\n```\n\n<div>html</div>\n\n---\n\nAfter.");

        Assert.Equal("A diagram\n\nQuoted words.\n\nvar x = 1;\n\nAfter.", text);
    }

    [Fact]
    public void Render_HardLineBreak_KeptAsNewLine()
    {
        Assert.Equal("Line one\nLine two", MarkdownPlainText.Render("Line one  \nLine two"));
    }

    [Fact]
    public void Render_EmptyBody_IsEmpty()
    {
        Assert.Equal("", MarkdownPlainText.Render(""));
    }
}
