using Herald.Formatting.Text;
using Herald.Platforms.Threads;

namespace Herald.Platforms.Tests.Threads;

public sealed class ThreadsTextCounterTests
{
    [Fact]
    public void Count_SixDistinctLinks_IsFlagged()
    {
        var text = string.Join(" ", Enumerable.Range(1, 6).Select(i => $"https://example.com/{i}"));

        var count = ThreadsTextCounter.Instance.Count(text);

        Assert.Equal(new TextMeasure(TextUnits.Links, 6, 5), count.Measure(TextUnits.Links));
        Assert.True(count.Count < 500);
        Assert.False(count.IsWithinLimit);
    }

    [Fact]
    public void Count_SameLinkRepeated_CountsOnce()
    {
        var text = string.Join(" ", Enumerable.Repeat("https://example.com/a", 6)) + " example.org";

        Assert.Equal(2, ThreadsTextCounter.Instance.Count(text).Measure(TextUnits.Links)!.Count);
    }

    [Fact]
    public void Count_Emoji_CountsItsUtf8Bytes()
    {
        Assert.Equal(3 + 4, ThreadsTextCounter.Instance.Count("Hi \U0001F44D").Count);
        Assert.Equal(25, ThreadsTextCounter.Instance.Count("\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466").Count);
    }

    [Fact]
    public void Count_OtherCharacters_CountAsCodePoints()
    {
        Assert.Equal(4, ThreadsTextCounter.Instance.Count("é漢\U00020000a").Count);
    }

    [Fact]
    public void Count_501Characters_IsNotWithinLimit()
    {
        Assert.True(ThreadsTextCounter.Instance.Count(new string('a', 500)).IsWithinLimit);
        Assert.False(ThreadsTextCounter.Instance.Count(new string('a', 501)).IsWithinLimit);
    }
}
