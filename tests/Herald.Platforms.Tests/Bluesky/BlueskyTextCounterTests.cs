using Herald.Formatting.Text;
using Herald.Platforms.Bluesky;

namespace Herald.Platforms.Tests.Bluesky;

public sealed class BlueskyTextCounterTests
{
    private const string Family = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466";

    [Fact]
    public void Count_EmojiBeforeLink_CountsOneGraphemeButEveryByte()
    {
        var count = BlueskyTextCounter.Instance.Count(Family + " https://example.com");

        // The family is 1 grapheme of 7 code points (4 emoji × 4 bytes + 3 ZWJ × 3 bytes = 25 bytes);
        // the link counts as written: 19 graphemes, 19 bytes.
        Assert.Equal(1 + 1 + 19, count.Count);
        Assert.Equal(new TextMeasure(TextUnits.Utf8Bytes, 25 + 1 + 19, 3000), count.Measure(TextUnits.Utf8Bytes));
        Assert.Equal("21/300 graphemes, 45/3000 bytes", count.ToString());
    }

    [Fact]
    public void Count_WithinGraphemesButOverBytes_IsNotWithinLimit()
    {
        var count = BlueskyTextCounter.Instance.Count(string.Concat(Enumerable.Repeat(Family, 150)));

        Assert.Equal(150, count.Count);
        Assert.Equal(150 * 25, count.Measure(TextUnits.Utf8Bytes)!.Count);
        Assert.False(count.IsWithinLimit);
    }

    [Fact]
    public void Count_301Graphemes_IsNotWithinLimit()
    {
        Assert.True(BlueskyTextCounter.Instance.Count(new string('a', 300)).IsWithinLimit);
        Assert.False(BlueskyTextCounter.Instance.Count(new string('a', 301)).IsWithinLimit);
    }

    [Fact]
    public void Count_MainMeasure_IsGraphemesOf300()
    {
        Assert.Equal(TextUnits.Graphemes, BlueskyTextCounter.Instance.Unit);
        Assert.Equal(300, BlueskyTextCounter.Instance.Limit);
    }
}
