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

    [Theory]
    [InlineData("Plain prose, with (some) punctuation: 100% of it!\nA second line.\n\nNext paragraph.", "Plain prose, with (some) punctuation: 100% of it! A second line.")]
    [InlineData("\r\n\r\nAfter blank lines,\r\n   an indented continuation -- and a # mid-line.", "After blank lines, an indented continuation -- and a # mid-line.")]
    [InlineData("Écrit en français, ça marche aussi.", "Écrit en français, ça marche aussi.")]
    public void PlainFirstParagraph_PlainProse_ReadWithoutParsing(string markdown, string expected)
    {
        Assert.Equal(expected, MarkdownText.PlainFirstParagraph(markdown));
        Assert.Equal(expected, MarkdownText.FirstParagraph(markdown));
    }

    [Theory]
    [InlineData("---\ntitle: x\n---\nText")]
    [InlineData("# Heading\n\nText")]
    [InlineData("Title\n=====")]
    [InlineData("Text\n- a list item")]
    [InlineData("Text\n1. an ordered item")]
    [InlineData("    indented code")]
    [InlineData("Some *emphasis* here")]
    [InlineData("A [link](https://example.com)")]
    [InlineData("An &amp; entity")]
    [InlineData("A hard\\\nbreak")]
    [InlineData("<div>html</div>")]
    [InlineData("")]
    public void PlainFirstParagraph_AnythingMarkdownMayMean_LeavesItToTheParser(string markdown)
    {
        Assert.Null(MarkdownText.PlainFirstParagraph(markdown));
    }

    /// <summary>
    /// Whenever the text alone gives a first paragraph, the parser gives the same: checked on 20,000 short texts made
    /// from the pieces Markdown blocks and inlines are made of (a fixed seed, so a failure can be replayed).
    /// </summary>
    [Fact]
    public void PlainFirstParagraph_WhenRead_IsWhatTheParserReads()
    {
        string[] pieces =
        [
            "word", "Another", "é", "42", " ", "  ", "\t", "\n", "\n\n", "\r\n", "    ", ".", ",", "!", "(", ")", "\"",
            "'", ":", "/", "-", "--", "---", "+", "=", "===", "#", "# ", ">", "~~~", "```", "|", "1.", "2)", "*", "_",
            "`", "<", "&amp;", "\\", "[", "]", "](x)", "![a](b)", "\u00a0", "\r", "\v", "\f", "\0", "\u2028",
        ];
        AssertFastPathAgrees(pieces, 20261204, proseOpening: true, MarkdownText.PlainFirstParagraph, MarkdownText.ParseFirstParagraph);
    }

    [Theory]
    [InlineData("A [link](https://example.com/a) and ![an image](http://example.com/b.png).")]
    [InlineData("[mail](mailto:herald@example.com), [top](#top), [empty]() and [pointy](<https://example.com/a b>)")]
    [InlineData("[spaced](\n  https://example.com/next-line)")]
    public void MakeLinksAbsolute_OnlyAbsoluteLinks_ReturnsSameInstance(string markdown)
    {
        Assert.True(MarkdownText.HasOnlyAbsoluteLinks(markdown));
        Assert.Same(markdown, MarkdownText.MakeLinksAbsolute(markdown, Base));
    }

    [Theory]
    [InlineData("[a](https://example.com) then [b](relative.md)")]
    [InlineData("[![logo](logo.png)](https://example.com)")]
    [InlineData("[ref][r]\n\n[r]: https://example.com")]
    [InlineData("[escaped](http\\://example.com)")]
    [InlineData("[entity](&#104;ttps://example.com)")]
    [InlineData("[pointy](<)>)")]
    [InlineData("`[in code](rel)`")]
    public void HasOnlyAbsoluteLinks_AnythingThatMayBeRelative_LeavesItToTheParser(string markdown)
    {
        Assert.False(MarkdownText.HasOnlyAbsoluteLinks(markdown));
    }

    /// <summary>
    /// Whenever the text alone says every link is absolute, the parser finds nothing to resolve either: checked on
    /// 20,000 short texts made from the pieces links are made of (a fixed seed, so a failure can be replayed).
    /// </summary>
    [Fact]
    public void HasOnlyAbsoluteLinks_WhenTrue_TheParserChangesNothing()
    {
        string[] pieces =
        [
            "[", "]", "(", ")", "](", "![", "<", ">", "]:", "#x", "https://h.example/p", "mailto:a@b", "rel/page",
            "/root", "x:", "\\", "&#104;", "`", "```\n", "\n", " ", "\t", "\"t\"", "text", "[r]", "-", "1.",
            "\r", "\v", "\f", "\0", "<http://x", "<>", "](<", "](<h:a>b>)",
        ];
        AssertFastPathAgrees(
            pieces, 20261203, proseOpening: false, text => MarkdownText.HasOnlyAbsoluteLinks(text) ? text : null, text => MarkdownText.ResolveLinks(text, Base));
    }

    /// <summary>
    /// Makes 20,000 short texts of <paramref name="pieces"/> (most opening with a word of prose when
    /// <paramref name="proseOpening"/>) and asserts that wherever <paramref name="fast"/> answers, <paramref name="parse"/>
    /// answers the same, and that it answered often enough for that to mean something.
    /// </summary>
    private static void AssertFastPathAgrees(
        string[] pieces, int seed, bool proseOpening, Func<string, string?> fast, Func<string, string> parse)
    {
        var random = new Random(seed);
        var answered = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var opening = proseOpening && random.Next(4) != 0 ? "Word " : "";
            var text = opening + string.Concat(Enumerable.Range(0, random.Next(1, proseOpening ? 10 : 14)).Select(_ => pieces[random.Next(pieces.Length)]));
            if (fast(text) is not { } quick)
            {
                continue;
            }

            answered++;
            Assert.True(parse(text) == quick, $"Without parsing '{quick}', parsed otherwise, from: {text}");
        }

        Assert.True(answered > 2_000, $"only {answered} texts were answered without parsing");
    }

    [Fact]
    public void MakeLinksAbsolute_RelativeBase_Throws()
    {
        Assert.Throws<ArgumentException>(() => MarkdownText.MakeLinksAbsolute("[x](y)", new Uri("/rel", UriKind.Relative)));
    }
}
