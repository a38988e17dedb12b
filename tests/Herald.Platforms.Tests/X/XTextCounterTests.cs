using Herald.Formatting.Text;
using Herald.Platforms.X;

namespace Herald.Platforms.Tests.X;

/// <summary>twitter-text v3 conformance (conformance/validate.yml) and the rules of docs/platforms.md, X.</summary>
public sealed class XTextCounterTests
{
    private static readonly ITextCounter X = XTextCounter.Instance;

    [Fact]
    public void Count_HiWithUrl_Is26()
    {
        Assert.Equal(26, X.Count("Hi http://test.co").Count);
    }

    [Fact]
    public void Count_UrlAlone_Is23()
    {
        Assert.Equal(23, X.Count("http://test.co").Count);
    }

    [Fact]
    public void Count_TenUrls_Is240AndValid()
    {
        var count = X.Count(string.Concat(Enumerable.Repeat("https://www.twitter.com/aloha ", 10)));

        Assert.Equal(240, count.Count);
        Assert.True(count.IsValid);
    }

    [Fact]
    public void Count_160CjkCharacters_Is320AndInvalid()
    {
        var text = string.Concat(Enumerable.Repeat("故人西辞黄鹤楼，烟花三月下扬州。", 10));
        Assert.Equal(160, text.Length);

        var count = X.Count(text);

        Assert.Equal(320, count.Count);
        Assert.False(count.IsWithinLimit);
        Assert.False(count.IsValid);
    }

    [Fact]
    public void Count_DecomposedAccent_IsNormalizedTo2()
    {
        Assert.Equal(2, X.Count("A\u0301B").Count);
    }

    [Fact]
    public void Count_CatSmileyAndFamily_Is7()
    {
        // H = 1, 🐱 = 2, ☺ (text-default, still an emoji to twemoji) = 2, the ZWJ family = 2.
        Assert.Equal(7, X.Count("H\U0001F431\u263A\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466").Count);
    }

    [Fact]
    public void Count_SkinToneAndZwjSequence_Is4()
    {
        Assert.Equal(4, X.Count("\U0001F64B\U0001F3FD\U0001F468\u200D\U0001F3A4").Count);
    }

    [Fact]
    public void Count_FiveEmoji_Is10()
    {
        Assert.Equal(10, X.Count("😷👾😡🔥💩").Count);
    }

    [Fact]
    public void Count_DomainWith64CharacterLabel_CountsEveryCharacter()
    {
        var text = string.Concat(Enumerable.Repeat("randomurl", 7)) + "s.com";

        var count = X.Count(text);

        Assert.Equal(68, count.Count);
        Assert.True(count.IsValid);
    }

    [Fact]
    public void Count_Unicode10EmojiWithTagFlag_Is34()
    {
        const string england = "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F";

        Assert.Equal(34, X.Count($"Unicode 10.0 emoji: \U0001F92A; \U0001F9D5; \U0001F9D5\U0001F3FE; {england}").Count);
    }

    [Fact]
    public void Count_Unicode9EmojiWithSkinTone_Is29()
    {
        Assert.Equal(29, X.Count("Unicode 9.0 emoji: \U0001F920; \U0001F483; \U0001F483\U0001F3FE").Count);
    }

    [Fact]
    public void Count_InvalidCharacters_Is12AndInvalid()
    {
        var count = X.Count("ABC\u202A\uFFFFABC\uFFFE");

        Assert.Equal(12, count.Count);
        Assert.True(count.HasInvalidCharacters);
        Assert.False(count.IsValid);
    }

    [Fact]
    public void Count_DirectionalMarksAroundIdnUrl_Is31()
    {
        Assert.Equal(31, X.Count("\u2066\u202Ahttp://foobar.پاکستان/\u202C\u2069").Count);
    }

    [Fact]
    public void Count_BareDomain_Is23()
    {
        Assert.Equal(23, X.Count("test.com").Count);
    }

    [Fact]
    public void Count_MultipleUrls_Is86()
    {
        Assert.Equal(86, X.Count("Test https://test.com test https://test.com test.com test").Count);
    }

    [Fact]
    public void Count_CharactersOutsideTheBasicPlane_Is2Each()
    {
        Assert.Equal(4, X.Count("\U00010000\U0010FFFF").Count);
    }

    [Fact]
    public void Count_Keycap_IsOneEmoji()
    {
        Assert.Equal(2, X.Count("1\uFE0F\u20E3").Count);
        Assert.Equal(2, X.Count("#\u20E3").Count);
    }

    [Fact]
    public void Count_CopyrightSign_IsTextUnlessVariationSelector16()
    {
        Assert.Equal(1, X.Count("\u00A9").Count);
        Assert.Equal(2, X.Count("\u00A9\uFE0F").Count);
    }

    [Fact]
    public void Count_FlagPair_IsOneEmoji()
    {
        Assert.Equal(2, X.Count("\U0001F1EE\U0001F1F3").Count);
    }

    [Fact]
    public void Count_TextPresentationSelector_CountsEachCodePoint()
    {
        // ☺︎ with VS15 asks for the text form: twemoji leaves it, so ☺ = 2 and VS15 = 2.
        Assert.Equal(4, X.Count("\u263A\uFE0E").Count);
    }

    [Fact]
    public void Count_TwoLetterCountryDomainWithoutPath_IsALinkAsInTwitterText()
    {
        // Issue 14: twitter-text 3 (JavaScript) takes "readme.md" as a link; Herald used to count its 9 characters.
        Assert.Equal(23, X.Count("readme.md").Count);
        Assert.Equal(23, X.Count("example.de/path").Count);
    }

    [Theory]
    [InlineData("İstanbulwww.example.com", 24)] // İ is no ASCII-domain letter: the link starts after it
    [InlineData("naïvewww.example.com", 23)] // ï is one: the whole word is the link
    [InlineData("שלוםhttps://example.com", 27)]
    [InlineData("https://example.com🙂", 25)]
    public void Count_UrlGluedToNonAsciiText_MatchesTwitterText(string text, int expected)
    {
        Assert.Equal(expected, X.Count(text).Count);
    }

    [Fact]
    public void Count_FediverseAndBlueskyHandles_AreNotLinks()
    {
        Assert.Equal("@alice@example.social".Length, X.Count("@alice@example.social").Count);
        Assert.Equal("@alice.bsky.social".Length, X.Count("@alice.bsky.social").Count);
        Assert.Equal("mail bob@example.com".Length, X.Count("mail bob@example.com").Count);
    }

    [Fact]
    public void Count_Exactly280_IsValidAnd281IsNot()
    {
        Assert.True(X.Count(new string('a', 280)).IsValid);
        Assert.False(X.Count(new string('a', 281)).IsValid);
    }

    [Fact]
    public void Count_Empty_IsInvalid()
    {
        var count = X.Count("");

        Assert.Equal(0, count.Count);
        Assert.True(count.IsWithinLimit);
        Assert.False(count.IsValid);
    }

    [Fact]
    public void Count_LoneSurrogate_WeighsTwoWithoutThrowing()
    {
        Assert.Equal(3, X.Count("a\uD800").Count);
    }

    [Fact]
    public void Count_Result_ReadsAsCountOverLimit()
    {
        var count = X.Count("Hi http://test.co");

        Assert.Equal(280, X.Limit);
        Assert.Equal(TextUnits.WeightedCharacters, count.Unit);
        Assert.Equal("26/280 weighted characters", count.ToString());
    }
}
