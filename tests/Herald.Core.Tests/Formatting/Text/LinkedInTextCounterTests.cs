using Herald.Formatting.Text;

namespace Herald.Core.Tests.Formatting.Text;

public sealed class LinkedInTextCounterTests
{
    [Fact]
    public void Count_AstralCharacter_IsOneCodePoint()
    {
        Assert.Equal(2, TextCounter.LinkedIn.Count("\U0001F600a").Count);
    }

    [Fact]
    public void Count_3001CodePoints_IsNotWithinLimit()
    {
        Assert.Equal(3000, TextCounter.LinkedIn.Limit);
        Assert.True(TextCounter.LinkedIn.Count(new string('a', 3000)).IsWithinLimit);
        Assert.False(TextCounter.LinkedIn.Count(new string('a', 3001)).IsWithinLimit);
    }
}
