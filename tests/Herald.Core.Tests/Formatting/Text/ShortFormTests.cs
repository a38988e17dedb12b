using Herald.Contents;
using Herald.Formatting.Text;
using Herald.Platforms.Bluesky;
using Herald.Platforms.Mastodon;
using Herald.Platforms.X;

namespace Herald.Core.Tests.Formatting.Text;

public sealed class ShortFormTests
{
    [Fact]
    public void Compose_ShortPost_IsTheTextAsWritten()
    {
        var content = new Content { Type = ContentType.Post, Body = "  Herald 1.0 is out: https://example.com/herald  \n" };

        var text = ShortForm.Compose(content, "x", XTextCounter.Instance);

        Assert.Equal(ShortFormKind.Post, text.Kind);
        Assert.Equal(["Herald 1.0 is out: https://example.com/herald"], text.Parts);
    }

    [Fact]
    public void Compose_LongPost_BecomesANumberedThreadWithinTheLimit()
    {
        var body = string.Join(' ', Enumerable.Range(1, 120).Select(i => $"Sentence number {i} is here."));
        var content = new Content { Type = ContentType.Post, Body = body };

        var text = ShortForm.Compose(content, "x", XTextCounter.Instance);

        Assert.Equal(ShortFormKind.Thread, text.Kind);
        Assert.True(text.Parts.Count > 1);
        Assert.All(text.Parts, p => Assert.True(XTextCounter.Instance.Count(p).IsWithinLimit, p));
        Assert.EndsWith($" 1/{text.Parts.Count}", text.Parts[0]);
    }

    [Fact]
    public void Compose_ThreadOverTheDefaultCap_IsAnErrorNamingTheCountTheLimitAndTheSetting()
    {
        var body = string.Concat(Enumerable.Repeat("A sentence of a rather long text that goes on. ", 4_000));
        var content = new Content { Type = ContentType.Post, Body = body };

        var text = ShortForm.Compose(content, "x", XTextCounter.Instance);

        Assert.False(text.Succeeded);
        Assert.Matches(@"^it would be more than 25 posts \(about [\d,]+\); the limit is 25 \(Herald:Limits:MaxThreadParts\)$", text.Error);
        Assert.True(text.TooManyParts > 600);
    }

    [Fact]
    public void Compose_PlatformCapOverride_AppliesToThatPlatformOnlyAndNamesItsKey()
    {
        var body = string.Concat(Enumerable.Repeat("A sentence of a rather long text that goes on. ", 40));
        var content = new Content { Type = ContentType.Post, Body = body };
        var limits = new ContentLimits { Platforms = new() { ["x"] = new PlatformContentLimits { MaxThreadParts = 3 } } };

        var x = ShortForm.Compose(content, "x", XTextCounter.Instance, limits: limits);
        var mastodon = ShortForm.Compose(content, "mastodon", new MastodonTextCounter(), limits: limits);

        Assert.EndsWith("the limit is 3 (Herald:Limits:Platforms:x:MaxThreadParts)", x.Error, StringComparison.Ordinal);
        Assert.True(mastodon.Succeeded, mastodon.Error);
        Assert.InRange(mastodon.Parts.Count, 4, 25);
    }

    [Fact]
    public void Compose_Article_TeaserWithTitleDescriptionLinkAndHashtags()
    {
        var content = new Content
        {
            Title = "Shipping Herald",
            Body = "First paragraph of the article.\n\nSecond.",
            Description = "Why and how we built it.",
            Tags = ["dotnet", "C#", "open-source", "fourth"],
            CanonicalUrl = new Uri("https://blog.example.com/shipping"),
        };

        var text = ShortForm.Compose(content, "mastodon", new MastodonTextCounter());

        Assert.Equal(ShortFormKind.Teaser, text.Kind);
        Assert.Equal(
            "Shipping Herald\n\nWhy and how we built it.\n\nhttps://blog.example.com/shipping\n\n#dotnet #C #opensource",
            Assert.Single(text.Parts));
    }

    [Fact]
    public void Compose_ArticleWithoutDescription_TeaserUsesTheFirstParagraph()
    {
        var content = new Content { Title = "T", Body = "## Heading\n\nThe *first* paragraph.\n\nMore." };

        Assert.Equal("T\n\nThe first paragraph.", Assert.Single(ShortForm.Compose(content, "x", XTextCounter.Instance).Parts));
    }

    [Fact]
    public void Compose_LongDescription_ShortenedAtASentenceToFitAndKeepsTheLink()
    {
        var description = string.Join(' ', Enumerable.Range(1, 40).Select(i => $"Point {i} matters."));
        var content = new Content
        {
            Title = "A title",
            Body = "Body.",
            Description = description,
            CanonicalUrl = new Uri("https://blog.example.com/a/very/long/path/that/counts/as/twenty/three/on/x"),
            Tags = ["dotnet"],
        };

        var part = Assert.Single(ShortForm.Compose(content, "x", XTextCounter.Instance).Parts);

        Assert.True(XTextCounter.Instance.Count(part).IsWithinLimit);
        Assert.StartsWith("A title\n\nPoint 1 matters.", part);
        Assert.EndsWith("matters.\n\nhttps://blog.example.com/a/very/long/path/that/counts/as/twenty/three/on/x\n\n#dotnet", part);
    }

    [Fact]
    public void Compose_ArticleAskingForAThread_TitleTextLinkAndHashtagsSplitInOrder()
    {
        var body = string.Join("\n\n", Enumerable.Range(1, 12).Select(i => $"Paragraph {i} explains one more thing about publishing everywhere at once."));
        var content = new Content
        {
            Title = "Threaded",
            Body = body,
            Thread = true,
            Tags = ["herald"],
            CanonicalUrl = new Uri("https://blog.example.com/threaded"),
        };

        var text = ShortForm.Compose(content, "bluesky", BlueskyTextCounter.Instance);

        Assert.Equal(ShortFormKind.Thread, text.Kind);
        Assert.StartsWith("Threaded\n\nParagraph 1 ", text.Parts[0]);
        Assert.Contains("https://blog.example.com/threaded", text.Parts[^1]);
        Assert.Contains("#herald", text.Parts[^1]);
        Assert.All(text.Parts, p => Assert.True(BlueskyTextCounter.Instance.Count(p).IsWithinLimit, p));
    }

    [Fact]
    public void Compose_PlatformTextOverride_UsedAsAShortPost()
    {
        var content = new Content
        {
            Title = "Article",
            Body = "Long body.",
            Overrides = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["x"] = new Dictionary<string, string> { ["text"] = "Custom words for X." },
            },
        };

        Assert.Equal(["Custom words for X."], ShortForm.Compose(content, "x", XTextCounter.Instance).Parts);
    }

    [Fact]
    public void Compose_NumberingOff_PartsCarryNoNumbers()
    {
        var body = string.Join(' ', Enumerable.Range(1, 120).Select(i => $"Sentence number {i} is here."));
        var content = new Content { Type = ContentType.Post, Body = body, NumberThreadParts = false };

        var text = ShortForm.Compose(content, "x", XTextCounter.Instance);

        Assert.DoesNotContain(text.Parts, p => p.EndsWith($"/{text.Parts.Count}", StringComparison.Ordinal));
    }

    [Fact]
    public void Hashtags_LettersDigitsUnderscoreCaseKeptNoRepeatsAtMostMax()
    {
        var content = new Content { Tags = ["DotNet", "dotnet", "C#", "2026", "snake_case", "extra"] };

        Assert.Equal(["DotNet", "C", "snake_case"], ShortForm.Hashtags(content, "x", 3));
    }
}
