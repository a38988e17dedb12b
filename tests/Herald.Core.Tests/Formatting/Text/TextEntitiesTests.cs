using Herald.Formatting.Text;

namespace Herald.Core.Tests.Formatting.Text;

public sealed class TextEntitiesTests
{
    [Fact]
    public void ExtractUrls_WithProtocol_GivesValueAndIndices()
    {
        const string text = "Read https://example.com/a?b=c now";

        var url = Assert.Single(TextEntities.ExtractUrls(text));

        Assert.Equal(new TextEntity(TextEntityKind.Url, 5, 30, "https://example.com/a?b=c"), url);
        Assert.Equal("https://example.com/a?b=c", text[url.Start..url.End]);
        Assert.True(url.HasProtocol);
    }

    [Theory]
    [InlineData("see example.com", "example.com")]
    [InlineData("see www.example.com/path/to", "www.example.com/path/to")]
    [InlineData("see t.co", "t.co")]
    [InlineData("see foo.co.jp", "foo.co.jp")]
    [InlineData("see example.com/path/to/resource?search=foo&lang=en", "example.com/path/to/resource?search=foo&lang=en")]
    [InlineData("詳しくはexample.comへ", "example.com")]
    public void ExtractUrls_BareDomainWithKnownTld_IsALink(string text, string expected)
    {
        var url = Assert.Single(TextEntities.ExtractUrls(text));

        Assert.Equal(expected, url.Value);
        Assert.False(url.HasProtocol);
    }

    [Theory]
    [InlineData("Go to https://example.com/a.", "https://example.com/a")]
    [InlineData("Go to https://example.com/a, then", "https://example.com/a")]
    [InlineData("(see https://example.com/a)", "https://example.com/a")]
    [InlineData("Wow https://example.com!", "https://example.com")]
    [InlineData("Is it example.com?", "example.com")]
    [InlineData("Is it https://example.com/q?a=1?", "https://example.com/q?a=1")]
    [InlineData("https://en.wikipedia.org/wiki/Primer_(film).", "https://en.wikipedia.org/wiki/Primer_(film)")]
    [InlineData("(https://en.wikipedia.org/wiki/Primer_(film))", "https://en.wikipedia.org/wiki/Primer_(film)")]
    [InlineData("http://example.com:8080/login.php", "http://example.com:8080/login.php")]
    [InlineData("http://twitter.com/#!/twitter", "http://twitter.com/#!/twitter")]
    [InlineData("HTTPS://www.ExaMPLE.COM/index.html", "HTTPS://www.ExaMPLE.COM/index.html")]
    [InlineData("http://example.com/Русские_слова", "http://example.com/Русские_слова")]
    [InlineData("http://test_underscore.twitter.com", "http://test_underscore.twitter.com")]
    public void ExtractUrls_TrailingPunctuationAndUnbalancedParens_StayOutside(string text, string expected)
    {
        Assert.Equal(expected, Assert.Single(TextEntities.ExtractUrls(text)).Value);
    }

    [Theory]
    [InlineData("see file.notatld or localhost/x")]
    [InlineData("http://localhost:8080/")]
    [InlineData("ftp://www.example.com/")]
    [InlineData("see notes.txt")]
    [InlineData("bob@example.com")]
    [InlineData("see -example.com and _x.com")]
    [InlineData("http://www.-domain4352.com/")]
    public void ExtractUrls_NotALink_FindsNothing(string text)
    {
        Assert.Empty(TextEntities.ExtractUrls(text));
    }

    [Fact]
    public void ExtractUrls_LabelLongerThan63_IsNotALink()
    {
        Assert.Empty(TextEntities.ExtractUrls(new string('a', 64) + ".com"));
        Assert.Single(TextEntities.ExtractUrls(new string('a', 63) + ".com"));
    }

    [Fact]
    public void ExtractUrls_RequireProtocol_SkipsBareDomains()
    {
        var url = Assert.Single(TextEntities.ExtractUrls("example.com and https://b.org/x", requireProtocol: true));

        Assert.Equal("https://b.org/x", url.Value);
    }

    [Fact]
    public void Extract_MastodonMentions_InAllThreeForms()
    {
        var mentions = TextEntities.Extract("cc @alice, @bob@example.social and @carol.bsky.social.", requireProtocol: true)
            .Where(entity => entity.Kind == TextEntityKind.Mention).ToList();

        Assert.Equal(["alice", "bob@example.social", "carol.bsky.social"], mentions.Select(m => m.Value));
        Assert.Equal(["alice", "bob", "carol.bsky.social"], mentions.Select(m => m.MentionUsername));
        Assert.Equal("@bob@example.social", "cc @alice, @bob@example.social and @carol.bsky.social."[mentions[1].Start..mentions[1].End]);
    }

    [Theory]
    [InlineData("mail bob@example.com")]
    [InlineData("https://mastodon.social/@alice")]
    [InlineData("@@")]
    public void ExtractMentions_NotAMention_FindsNothing(string text)
    {
        Assert.Empty(TextEntities.ExtractMentions(text));
    }

    [Fact]
    public void Extract_Hashtags_SkipsNumbersLinksAndKeycaps()
    {
        var hashtags = TextEntities.ExtractHashtags("#tag #1st #123 example.com/#top https://x.com/a#frag #️⃣ a#b #ашок #트위터");

        Assert.Equal(["tag", "1st", "ашок", "트위터"], hashtags.Select(h => h.Value));
    }

    [Fact]
    public void Extract_AllKinds_InOrderWithoutOverlap()
    {
        const string text = "#news by @alice: https://example.com/@bob/#x";

        var entities = TextEntities.Extract(text);

        Assert.Equal(
            [TextEntityKind.Hashtag, TextEntityKind.Mention, TextEntityKind.Url],
            entities.Select(e => e.Kind));
        Assert.Equal("https://example.com/@bob/#x", entities[2].Value);
    }

    [Fact]
    public void ExtractMentions_TwitterText_StopsAtTwentyCharactersAndSkipsAddresses()
    {
        // Issue 14: X's own rules (twitter-text 3): a name has at most 20 characters, and "@bob@server" is no mention.
        var mentions = TextEntities.ExtractMentions("@" + new string('a', 25) + " @bob@example.social @carol.bsky.social");

        Assert.Equal([new string('a', 20), "carol"], mentions.Select(m => m.Value));
    }
}
