using Herald.Contents;

namespace Herald.Core.Tests.Contents;

public sealed class ImageRulesTests
{
    private static Content With(params ContentImage[] images) => new() { Type = ContentType.Post, Body = "Hi.", Images = images };

    private static ContentImage Image(string? alt, string src = "/tmp/a.png") => new() { Source = src, Alt = alt };

    [Fact]
    public void Validate_MissingAlt_NamesTheImageAndTheWayOut()
    {
        var problems = ImageRules.Validate(With(Image("A cat"), Image(null, "/tmp/dog.png")), new ImageSupport(4, 100), "mastodon", "Mastodon");

        var problem = Assert.Single(problems);
        Assert.Equal("images[1].alt", problem.Field);
        Assert.Equal("mastodon", problem.Platform);
        Assert.Contains("dog.png", problem.Message, StringComparison.Ordinal);
        Assert.Contains("alt: \"\"", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ExplicitEmptyAlt_IsAccepted() =>
        Assert.Empty(ImageRules.Validate(With(Image("")), new ImageSupport(4, 100), "bluesky", "Bluesky"));

    [Fact]
    public void Validate_TooManyAndTooLongAlt_Refused()
    {
        var problems = ImageRules.Validate(
            With(Image("a"), Image("b"), Image(new string('x', 11))), new ImageSupport(2, 10), "bluesky", "Bluesky");

        Assert.Equal(["images", "images[2].alt"], problems.Select(p => p.Field).ToList());
        Assert.Contains("at most 2", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("11 characters", problems[1].Message, StringComparison.Ordinal);
    }
}
