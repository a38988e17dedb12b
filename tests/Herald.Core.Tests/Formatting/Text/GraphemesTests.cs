using Herald.Formatting.Text;

namespace Herald.Core.Tests.Formatting.Text;

/// <summary>Grapheme clusters as UAX #29 has them in Unicode 17 (issue 14).</summary>
public sealed class GraphemesTests
{
    [Theory]
    [InlineData("हिन्दी", 2)] // हि + न्दी: GB9c keeps the conjunct together.
    [InlineData("क्षत्रिय", 3)] // क्ष + त्रि + य
    [InlineData("क्\u200Dष", 1)] // a ZWJ inside the conjunct does not break it
    [InlineData("ক্ষ", 1)] // Bengali
    [InlineData("தமிழ்", 3)] // Tamil has no conjunct consonants in Indic_Conjunct_Break
    [InlineData("👨‍👩‍👧‍👦🇫🇷🇺🇸1️⃣", 4)]
    [InlineData("🇦🇧🇨", 2)]
    [InlineData("\r\n", 1)]
    [InlineData("\u1100\u1161\u11A8", 1)]
    [InlineData("", 0)]
    public void Count_Text_CountsUnicode17Clusters(string text, int expected)
    {
        Assert.Equal(expected, Graphemes.Count(text));
    }

    [Fact]
    public void NextLength_DevanagariConjunct_CoversTheWholeConjunct()
    {
        Assert.Equal("न्दी".Length, Graphemes.NextLength("न्दी और"));
    }
}
