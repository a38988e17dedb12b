using Herald.Formatting.Text;

namespace Herald.Core.Tests.Formatting.Text;

public sealed class EmojiTests
{
    [Theory]
    [InlineData("\U0001F600", 2)]                                                   // 😀
    [InlineData("\u263A", 1)]                                                       // ☺ text-default, still emoji
    [InlineData("\u2764\uFE0F", 2)]                                                 // ❤️
    [InlineData("\U0001F44D\U0001F3FD", 4)]                                         // 👍🏽
    [InlineData("\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466", 11)]  // family
    [InlineData("\U0001F3F3\uFE0F\u200D\U0001F308", 6)]                             // rainbow flag
    [InlineData("\U0001F1EF\U0001F1F5", 4)]                                         // 🇯🇵
    [InlineData("7\uFE0F\u20E3", 3)]                                                // 7️⃣
    [InlineData("\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", 14)] // Scotland
    [InlineData("\U0001F3FB", 2)]                                                   // lone skin tone
    public void SequenceLength_Emoji_CoversTheWholeSequence(string text, int expected)
    {
        Assert.Equal(expected, Emoji.SequenceLength(text + "x", 0));
    }

    [Theory]
    [InlineData("7")]
    [InlineData("#")]
    [InlineData("\u00A9")]
    [InlineData("\u263A\uFE0E")]
    [InlineData("a")]
    [InlineData("漢")]
    public void SequenceLength_NotAnEmoji_IsZero(string text)
    {
        Assert.Equal(0, Emoji.SequenceLength(text, 0));
    }

    [Fact]
    public void SequenceLength_ZwjFollowedByText_StopsBeforeTheJoiner()
    {
        Assert.Equal(2, Emoji.SequenceLength("\U0001F600\u200Da", 0));
    }
}
