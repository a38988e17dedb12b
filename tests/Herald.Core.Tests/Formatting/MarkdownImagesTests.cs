using Herald.Contents;
using Herald.Formatting;
using Herald.Validation;

namespace Herald.Core.Tests.Formatting;

public sealed class MarkdownImagesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_FrontMatterImages_KeepsSourceAndAltInOrder()
    {
        const string text = """
            ---
            images:
              - src: ./cover.png
                alt: "A red bicycle against a wall"
              - {src: https://example.com/b.jpg, alt: ""}
              - src: ./nothing-said.png
            ---
            Look at this.
            """;

        var content = MarkdownDocument.Parse(text, Now);

        Assert.Equal(
            [("./cover.png", "A red bicycle against a wall"), ("https://example.com/b.jpg", ""), ("./nothing-said.png", null)],
            content.Images.Select(i => (i.Source, i.Alt)).ToList());
        Assert.False(content.Images[0].IsRemote);
        Assert.True(content.Images[1].IsRemote);
    }

    [Fact]
    public void Parse_PostWithMarkdownImages_TakesThemOutOfTheText()
    {
        const string text = """
            ---
            images: [{src: ./first.png, alt: First}]
            ---
            Our new logo:

            ![The Herald logo, a bell](./logo.png)

            And a photo ![](https://example.com/p.jpg) of the team.
            """;

        var content = MarkdownDocument.Parse(text, Now);

        Assert.Equal(ContentType.Post, content.Type);
        Assert.Equal("Our new logo:\n\nAnd a photo  of the team.", content.Body);
        Assert.Equal(
            [("./first.png", "First"), ("./logo.png", "The Herald logo, a bell"), ("https://example.com/p.jpg", null)],
            content.Images.Select(i => (i.Source, i.Alt)).ToList());
    }

    [Fact]
    public void Parse_ArticleKeepsItsInlineImagesAsMarkdown()
    {
        const string text = """
            ---
            title: An article
            ---
            Text ![inline](./a.png) here.
            """;

        var content = MarkdownDocument.Parse(text, Now);

        Assert.Empty(content.Images);
        Assert.Equal("Text ![inline](./a.png) here.", content.Body);
    }

    [Fact]
    public void Parse_BadImages_EachNamedByItsPlace()
    {
        const string text = """
            ---
            images:
              - {alt: no source}
              - {src: "ftp://example.com/a.png", alt: x}
              - {src: ./a.png, alt: x, caption: y}
              - [a, b]
            ---
            Text.
            """;

        var ex = Assert.Throws<ContentValidationException>(() => MarkdownDocument.Parse(text, Now));

        Assert.Equal(["images[0].src", "images[1].src", "images[2].caption", "images[3]"], ex.Problems.Select(p => p.Field).ToList());
        Assert.Contains("local path or an http(s) URL", ex.Problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_LocalPathsAreMadeAbsoluteAgainstTheFile()
    {
        var folder = Directory.CreateTempSubdirectory("herald-images-");
        try
        {
            var file = Path.Combine(folder.FullName, "post.md");
            await File.WriteAllTextAsync(file, "---\nimages: [{src: pics/a.png, alt: A}, {src: 'https://example.com/b.png', alt: B}]\n---\nHi.\n");

            var content = await new MarkdownFileReader(new ContentLimits(), TimeProvider.System).ReadAsync(file);

            Assert.Equal(Path.Combine(folder.FullName, "pics", "a.png"), content.Images[0].Source);
            Assert.Equal("https://example.com/b.png", content.Images[1].Source);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
