using Herald.Formatting.Text;
using Herald.Platforms.Bluesky;
using Herald.Platforms.X;

namespace Herald.Core.Tests.Formatting.Text;

public sealed class TextFitTests
{
    private const string Family = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466";

    [Fact]
    public void FittingLength_OfATextWithinTheLimit_IsNull()
    {
        Assert.Null(TextFit.FittingLength("short", XTextCounter.Instance));
    }

    [Fact]
    public void FittingLength_OnX_IsTheLongestStartOf280WeightedCharacters()
    {
        // 250 ASCII letters (weight 1) then 40 CJK characters (weight 2): 15 of the CJK fit.
        var text = new string('a', 250) + new string('漢', 40);

        var fitting = TextFit.FittingLength(text, XTextCounter.Instance);

        Assert.Equal(265, fitting);
        Assert.True(XTextCounter.Instance.Count(text[..fitting!.Value]).IsWithinLimit);
        Assert.False(XTextCounter.Instance.Count(text[..(fitting.Value + 1)]).IsWithinLimit);
    }

    [Fact]
    public void FittingLength_NeverCutsAGraphemeCluster()
    {
        // On Bluesky 300 graphemes fit; the 300th is a family of four (11 UTF-16 code units), which stays whole.
        var text = new string('b', 299) + Family + Family;

        var fitting = TextFit.FittingLength(text, BlueskyTextCounter.Instance);

        Assert.Equal(299 + Family.Length, fitting);
    }

    [Fact]
    public void FittingLength_HonoursEveryLimit_NotOnlyTheMainOne()
    {
        // 250 graphemes, well under Bluesky's 300, yet each family is 25 UTF-8 bytes: 3,000 bytes fit 120 of them.
        var text = string.Concat(Enumerable.Repeat(Family, 250));

        var fitting = TextFit.FittingLength(text, BlueskyTextCounter.Instance);

        Assert.Equal(120 * Family.Length, fitting);
    }

    [Fact]
    public void FittingLength_WhenNothingFits_IsZero()
    {
        Assert.Equal(0, TextFit.FittingLength("abc", _ => false));
    }
}
