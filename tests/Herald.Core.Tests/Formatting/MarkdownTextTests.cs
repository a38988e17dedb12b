using Herald.Formatting;

namespace Herald.Core.Tests.Formatting;

public sealed class MarkdownTextTests
{
    private static readonly Uri Base = new("https://blog.example.com/posts/hello-world");

    [Fact]
    public void FirstParagraph_PlainParagraph_ReturnsItsText()
    {
        Assert.Equal("Hello there.", MarkdownText.FirstParagraph("Hello there.\n\nSecond paragraph."));
    }

    [Fact]
    public void FirstParagraph_HeadingsAndFrontMatterFirst_SkipsThem()
    {
        const string markdown = "---\ntitle: Front\ndescription: not this\n---\n# Title\n\n## Sub\n\nThe real start.\n";

        Assert.Equal("The real start.", MarkdownText.FirstParagraph(markdown));
    }

    [Fact]
    public void FirstParagraph_ImageOnlyParagraph_IsSkipped()
    {
        const string markdown = "![cover](cover.png)\n\n![another](b.png) ![third](c.png)\n\nText after images.";

        Assert.Equal("Text after images.", MarkdownText.FirstParagraph(markdown));
    }

    [Fact]
    public void FirstParagraph_ImageInsideProse_ReadsAsItsAltText()
    {
        Assert.Equal("See the diagram below.", MarkdownText.FirstParagraph("See the ![diagram](d.png) below."));
    }

    [Fact]
    public void FirstParagraph_InlineMarkup_IsStrippedAndLinksBecomeTheirText()
    {
        const string markdown = "Some **bold**, _em_, `code()` and a [link *here*](https://x.test) with <https://auto.test> &amp; more.";

        Assert.Equal(
            "Some bold, em, code() and a link here with https://auto.test & more.",
            MarkdownText.FirstParagraph(markdown));
    }

    [Fact]
    public void FirstParagraph_SoftAndHardLineBreaks_BecomeSingleSpaces()
    {
        Assert.Equal("one two three", MarkdownText.FirstParagraph("one\ntwo  \nthree"));
    }

    [Fact]
    public void FirstParagraph_CodeBlockBeforeText_IsSkipped()
    {
        Assert.Equal("After code.", MarkdownText.FirstParagraph("```\nnot prose\n```\n\nAfter code."));
    }

    [Fact]
    public void FirstParagraph_NoParagraph_ReturnsEmpty()
    {
        Assert.Equal("", MarkdownText.FirstParagraph("# Only a heading\n\n![img](a.png)"));
    }

    [Fact]
    public void MakeLinksAbsolute_RelativeInlineLinkAndImage_ResolvedAgainstBase()
    {
        const string markdown = "See [the guide](../guide.md) and ![diagram](img/diagram.png \"Diagram\").";

        Assert.Equal(
            "See [the guide](https://blog.example.com/guide.md) and ![diagram](https://blog.example.com/posts/img/diagram.png \"Diagram\").",
            MarkdownText.MakeLinksAbsolute(markdown, Base));
    }

    [Fact]
    public void MakeLinksAbsolute_RootRelativeLink_ResolvedAgainstHost()
    {
        Assert.Equal(
            "[about](https://blog.example.com/about)",
            MarkdownText.MakeLinksAbsolute("[about](/about)", Base));
    }

    [Fact]
    public void MakeLinksAbsolute_ReferenceDefinition_RewrittenOnceAndUsesKeptAsTheyAre()
    {
        const string markdown = "Read [the docs][docs] and [again][docs].\n\n[docs]: /docs/start \"Docs\"\n";

        Assert.Equal(
            "Read [the docs][docs] and [again][docs].\n\n[docs]: https://blog.example.com/docs/start \"Docs\"\n",
            MarkdownText.MakeLinksAbsolute(markdown, Base));
    }

    [Fact]
    public void MakeLinksAbsolute_AbsoluteMailtoAnchorAndAutolinks_Unchanged()
    {
        const string markdown =
            "[a](https://other.test/x) [m](mailto:me@example.com) [top](#top) <https://auto.test/> [e]() ftp: [f](ftp://files.test/a)";

        Assert.Equal(markdown, MarkdownText.MakeLinksAbsolute(markdown, Base));
    }

    [Fact]
    public void MakeLinksAbsolute_LinksInCode_Unchanged()
    {
        const string markdown = "`[x](rel.md)`\n\n```\n[y](rel.md)\n```\n\n    [z](rel.md)\n";

        Assert.Equal(markdown, MarkdownText.MakeLinksAbsolute(markdown, Base));
    }

    [Fact]
    public void MakeLinksAbsolute_EverythingElse_ByteForByteUnchanged()
    {
        const string markdown = "# Title  \r\n\r\n*  item with [rel](a.md)\t\r\n*  other\r\n\r\n> quote ![i](b.png)\r\n\r\nTrailing   spaces   ";

        Assert.Equal(
            "# Title  \r\n\r\n*  item with [rel](https://blog.example.com/posts/a.md)\t\r\n*  other\r\n\r\n> quote ![i](https://blog.example.com/posts/b.png)\r\n\r\nTrailing   spaces   ",
            MarkdownText.MakeLinksAbsolute(markdown, Base));
    }

    [Fact]
    public void MakeLinksAbsolute_PointyBracketDestination_KeepsBrackets()
    {
        Assert.Equal(
            "[x](<https://blog.example.com/posts/my%20file.md>)",
            MarkdownText.MakeLinksAbsolute("[x](<my file.md>)", Base));
    }

    [Fact]
    public void MakeLinksAbsolute_QueryAndFragmentOnRelativeLink_Preserved()
    {
        Assert.Equal(
            "[x](https://blog.example.com/posts/page?q=1#part)",
            MarkdownText.MakeLinksAbsolute("[x](page?q=1#part)", Base));
    }

    [Fact]
    public void MakeLinksAbsolute_NoLinks_ReturnsSameInstance()
    {
        const string markdown = "Just text.";

        Assert.Same(markdown, MarkdownText.MakeLinksAbsolute(markdown, Base));
    }

    [Fact]
    public void MakeLinksAbsolute_RelativeBase_Throws()
    {
        Assert.Throws<ArgumentException>(() => MarkdownText.MakeLinksAbsolute("[x](y)", new Uri("/rel", UriKind.Relative)));
    }
}
