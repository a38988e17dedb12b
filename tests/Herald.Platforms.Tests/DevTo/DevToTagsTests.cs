using Herald.Platforms.DevTo;

namespace Herald.Platforms.Tests.DevTo;

public sealed class DevToTagsTests
{
    [Theory]
    [InlineData("C#", "c")]
    [InlineData("Dot-Net", "dotnet")]
    [InlineData("node.js", "nodejs")]
    [InlineData("Web Dev", "webdev")]
    [InlineData("Café", "cafe")]
    [InlineData("ASP.NET Core 10", "aspnetcore10")]
    [InlineData("日本語", "")]
    [InlineData("#", "")]
    public void Normalize_Tag_LowerCaseAsciiLettersAndDigitsOnly(string tag, string expected)
    {
        Assert.Equal(expected, DevToTags.Normalize(tag));
    }

    [Fact]
    public void NormalizeAll_RepeatsEmptiesAndExtras_DroppedKeepingOrderAndSourceIndex()
    {
        var kept = DevToTags.NormalizeAll(["C#", "dotnet", "#", "Dot-Net", "web", "extra", "sixth"]);

        Assert.Equal(["c", "dotnet", "web", "extra"], kept.Select(t => t.Tag));
        Assert.Equal([0, 1, 4, 5], kept.Select(t => t.SourceIndex));
    }

    [Fact]
    public void NormalizeAll_TagLongerThan30_KeptUncutForValidationToReport()
    {
        var kept = DevToTags.NormalizeAll([new string('a', 31)]);

        Assert.Equal(31, Assert.Single(kept).Tag.Length);
    }
}
