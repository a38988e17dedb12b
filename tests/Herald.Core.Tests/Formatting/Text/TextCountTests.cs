using Herald.Formatting.Text;

namespace Herald.Core.Tests.Formatting.Text;

public sealed class TextCountTests
{
    [Fact]
    public void IsWithinLimit_OneMeasureOver_IsFalse()
    {
        var count = new TextCount([new TextMeasure(TextUnits.Graphemes, 10, 300), new TextMeasure(TextUnits.Utf8Bytes, 3001, 3000)]);

        Assert.False(count.IsWithinLimit);
        Assert.False(count.IsValid);
        Assert.Equal(10, count.Count);
        Assert.Equal(300, count.Limit);
        Assert.Equal(TextUnits.Graphemes, count.Unit);
    }

    [Fact]
    public void Measure_UnknownUnit_IsNull()
    {
        var count = new TextCount([new TextMeasure(TextUnits.Characters, 1, 500)]);

        Assert.Null(count.Measure(TextUnits.Links));
        Assert.Equal(new TextMeasure(TextUnits.Characters, 1, 500), count.Measure(TextUnits.Characters));
    }

    [Fact]
    public void IsValid_InvalidCharactersWithinLimit_IsFalse()
    {
        var count = new TextCount([new TextMeasure(TextUnits.WeightedCharacters, 5, 280)], hasInvalidCharacters: true);

        Assert.True(count.IsWithinLimit);
        Assert.False(count.IsValid);
    }

    [Fact]
    public void Constructor_NoMeasures_Throws()
    {
        Assert.Throws<ArgumentException>(() => new TextCount([]));
    }
}
