using Herald.Formatting.Text;
using Herald.Platforms.Mastodon;

namespace Herald.Platforms.Tests.Mastodon;

public sealed class MastodonTextCounterTests
{
    [Fact]
    public void Count_200CharacterUrl_CountsAs23AndFits()
    {
        var url = "https://example.com/" + new string('p', 180);
        Assert.Equal(200, url.Length);
        var text = new string('a', 450) + " " + url;

        var count = new MastodonTextCounter().Count(text);

        Assert.Equal(450 + 1 + 23, count.Count);
        Assert.True(count.IsWithinLimit);
    }

    [Fact]
    public void Count_RemoteMention_CountsAsLocalPart()
    {
        Assert.Equal("@alice hi".Length, new MastodonTextCounter().Count("@alice@example.social hi").Count);
    }

    [Fact]
    public void Count_BareDomain_CountsEveryCharacter()
    {
        Assert.Equal("example.com".Length, new MastodonTextCounter().Count("example.com").Count);
    }

    [Fact]
    public void Count_ReservedUrlCharacters_AreConfigurable()
    {
        Assert.Equal(3 + 30, new MastodonTextCounter(charactersReservedPerUrl: 30).Count("Go https://example.com/x").Count);
    }

    [Fact]
    public void Count_GraphemeClusters_CountOnceEach()
    {
        // A ZWJ family and a flag are one grapheme each.
        Assert.Equal(2, new MastodonTextCounter().Count("\U0001F468\u200D\U0001F469\u200D\U0001F467\U0001F1EE\U0001F1F3").Count);
    }

    [Fact]
    public void Count_SpoilerText_CountsWithTheStatus()
    {
        var counter = new MastodonTextCounter(maxCharacters: 10, spoilerText: "CW: food");

        var count = counter.Count("pizza");

        Assert.Equal(13, count.Count);
        Assert.False(count.IsWithinLimit);
    }

    [Fact]
    public void Limit_IsTheInstanceMaximum()
    {
        Assert.Equal(500, new MastodonTextCounter().Limit);
        Assert.Equal(5000, new MastodonTextCounter(maxCharacters: 5000).Limit);
    }

    [Fact]
    public void Mastodon_NonPositiveLimit_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MastodonTextCounter(maxCharacters: 0));
    }
}
