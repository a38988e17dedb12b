using System.Globalization;
using System.Text;
using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms.LinkedIn;

namespace Herald.Platforms.Tests.LinkedIn;

public sealed class LinkedInPostTextTests
{
    private static readonly Account Manual = new() { Platform = "linkedin", DisplayName = "manual" };

    [Fact]
    public void Draft_Article_HookBodyLinkCallToActionAndHashtagsInOrder()
    {
        var content = new Content
        {
            Title = "Shipping Herald",
            Body = "## Why\n\nBecause *cross-posting* by hand is [tedious](/why).\n\n- one\n- two",
            Tags = ["DotNet", "C#", "open-source"],
            CanonicalUrl = new Uri("https://blog.example.com/posts/shipping"),
        };

        var draft = LinkedInPostText.Draft(LinkedInPostText.Fit(LinkedInPostText.Compose(content, Manual)));

        Assert.Equal(
            "🚀 Shipping Herald\n\nWhy\n\nBecause cross-posting by hand is tedious (https://blog.example.com/why).\n\n• one\n• two\n\n" +
            "Read the full article: https://blog.example.com/posts/shipping\n\n" +
            "What's your experience with similar challenges? Share your thoughts! 💭\n\n#dotnet #c #opensource",
            draft);
    }

    [Fact]
    public void Draft_HookAndCallToActionFromAccountSettings()
    {
        var account = new Account
        {
            Platform = "linkedin",
            DisplayName = "custom",
            Settings = new Dictionary<string, string> { ["hook"] = "New post: {title}", ["cta"] = "Thoughts?" },
        };

        var draft = LinkedInPostText.Draft(LinkedInPostText.Compose(new Content { Title = "Custom", Body = "Text." }, account));

        Assert.Equal("New post: Custom\n\nText.\n\nThoughts?", draft);
    }

    [Fact]
    public void Draft_ShortPost_IsTheTextAsWrittenWithHashtags()
    {
        var content = new Content { Type = ContentType.Post, Body = "Herald 1.0 is out.", Tags = ["herald"] };

        Assert.Equal("Herald 1.0 is out.\n\n#herald", LinkedInPostText.Draft(LinkedInPostText.Compose(content, Manual)));
    }

    [Fact]
    public void Hashtags_LettersAndDigitsOnlyLowerCaseNoRepeatsAtMostSeven()
    {
        var tags = LinkedInPostText.Hashtags(["C#", "c", ".NET 10", "Dev-Ops", "ai", "ML", "Cloud", "web", "extra", "x y"]);

        Assert.Equal(["c", "net10", "devops", "ai", "ml", "cloud", "web"], tags);
    }

    [Fact]
    public void Fit_LongArticle_AtMost3000CodePointsEndingWithCallToActionAndHashtags()
    {
        var body = string.Join("\n\n", Enumerable.Range(1, 80).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"Paragraph {i} has a first sentence about publishing. And a second one 🚀 with an emoji.")));
        var content = new Content
        {
            Title = "A long article",
            Body = body,
            Tags = ["dotnet", "csharp"],
            CanonicalUrl = new Uri("https://blog.example.com/posts/long"),
        };

        var draft = LinkedInPostText.Draft(LinkedInPostText.Fit(LinkedInPostText.Compose(content, Manual)));

        Assert.True(draft.EnumerateRunes().Count() <= 3000, $"{draft.EnumerateRunes().Count()} code points");
        Assert.True(draft.EnumerateRunes().Count() > 2800, "the cut should keep as much text as fits");
        Assert.EndsWith(
            // The body was cut after a whole sentence; everything after it is kept.
            "publishing.\n\nRead the full article: https://blog.example.com/posts/long\n\n" +
            LinkedInPostText.DefaultCallToAction + "\n\n#dotnet #csharp",
            draft);
    }

    [Fact]
    public void Shorten_EmojiAtTheCut_IsNotSplit()
    {
        // No sentence end and no space: the cut falls between grapheme clusters, never inside one.
        var family = "👨‍👩‍👧‍👦";
        var body = string.Concat(Enumerable.Repeat(family, 400));

        var shortened = LinkedInPostText.Shorten(body, 100);

        Assert.EndsWith(family + "…", shortened);
        Assert.True(shortened.EnumerateRunes().Count() <= 100);
        Assert.Equal(0, (shortened.Length - 1) % family.Length);
        Assert.True(IsWellFormed(shortened));
    }

    [Fact]
    public void Shorten_SurrogatePairAtTheCut_IsNotSplit()
    {
        var body = "Start " + string.Concat(Enumerable.Repeat("😀", 50));

        var shortened = LinkedInPostText.Shorten(body, 30);

        Assert.True(IsWellFormed(shortened));
        Assert.True(shortened.EnumerateRunes().Count() <= 30);
    }

    [Fact]
    public void Shorten_NoSentenceEndInReach_CutsBetweenWordsWithEllipsis()
    {
        var body = string.Join(' ', Enumerable.Repeat("word", 100)) + ".";

        var shortened = LinkedInPostText.Shorten(body, 52);

        Assert.Equal(string.Join(' ', Enumerable.Repeat("word", 10)) + "…", shortened);
    }

    [Fact]
    public void Shorten_PrefersTheLastSentenceThatFits()
    {
        var shortened = LinkedInPostText.Shorten("One. Two two. Three three three. Four four four four.", 35);

        Assert.Equal("One. Two two. Three three three.", shortened);
    }

    [Fact]
    public void Commentary_EscapesEveryReservedCharacterAndUsesHashtagTemplates()
    {
        var parts = new LinkedInPostParts("🚀 Title (v2)", @"a\b|c{d}e@f[g]h(i)j<k>l#m*n_o~p", null, null, ["dotnet"]);

        var commentary = LinkedInPostText.Commentary(parts);

        Assert.Equal("🚀 Title \\(v2\\)\n\na\\\\b\\|c\\{d\\}e\\@f\\[g\\]h\\(i\\)j\\<k\\>l\\#m\\*n\\_o\\~p\n\n{hashtag|\\#|dotnet}", commentary);
    }

    private static bool IsWellFormed(string text) =>
        Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)) == text && !text.Contains('\uFFFD', StringComparison.Ordinal);
}
