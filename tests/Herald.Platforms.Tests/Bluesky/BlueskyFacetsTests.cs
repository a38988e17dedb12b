using Herald.Platforms.Bluesky;

namespace Herald.Platforms.Tests.Bluesky;

public sealed class BlueskyFacetsTests
{
    [Fact]
    public void Find_PlatformsExample_MentionAndLinkAtTheirByteOffsets()
    {
        var spans = BlueskyFacets.Find("✨ example mentioning @atproto.com to share the URL 👨‍❤️‍👨 https://en.wikipedia.org/wiki/CBOR.");

        Assert.Equal(
            [new BlueskyFacetSpan("mention", 23, 35, "atproto.com"), new BlueskyFacetSpan("link", 74, 108, "https://en.wikipedia.org/wiki/CBOR")],
            spans);
    }

    [Fact]
    public void Find_HashtagAfterCjk_ByteOffsetsCountThreeBytesPerCharacter()
    {
        var spans = BlueskyFacets.Find("日本語 #タグ");

        Assert.Equal([new BlueskyFacetSpan("tag", 10, 17, "タグ")], spans);
    }

    [Fact]
    public void Find_MastodonStyleOrBareMentions_NotBlueskyHandles()
    {
        Assert.Empty(BlueskyFacets.Find("hi @alice and @bob@mastodon.social"));
    }

    [Fact]
    public void Find_BareDomain_LinkGetsHttps()
    {
        var span = Assert.Single(BlueskyFacets.Find("see example.com"));

        Assert.Equal(new BlueskyFacetSpan("link", 4, 15, "https://example.com"), span);
    }

    [Fact]
    public void Find_HashtagLongerThan64Graphemes_StaysText()
    {
        Assert.Empty(BlueskyFacets.Find("#" + new string('a', 65)));
        Assert.Single(BlueskyFacets.Find("#" + new string('a', 64)));
    }

    [Fact]
    public void ToRecord_UnresolvedMention_LeftOutWhenSending()
    {
        var spans = BlueskyFacets.Find("@alice.example.com #x");

        var facets = BlueskyFacets.ToRecord(spans, new Dictionary<string, string>(), _ => null);

        var facet = Assert.Single(facets);
        Assert.Equal(BlueskyFacetFeature.TagType, Assert.Single(facet.Features).Type);
    }

    [Fact]
    public void Find_DomainGluedToTheWordBefore_IsNoLinkAsInTheBlueskyApp()
    {
        // Issue 14: the app links a bare domain only after a space, "(" or the start; İstanbulwww.example.com stays text.
        Assert.Empty(BlueskyFacets.Find("İstanbulwww.example.com"));
    }

    [Fact]
    public void Find_CashtagAndUpperCaseDomain_TagWithDollarAndNoLink()
    {
        var spans = BlueskyFacets.Find("$aapl EXAMPLE.COM");

        Assert.Equal([new BlueskyFacetSpan("tag", 0, 5, "$AAPL")], spans);
    }
}
