using Herald.Formatting.Text;

namespace Herald.Core.Tests.Formatting.Text;

/// <summary>
/// twitter-text's URL pattern backtracks quadratically on a long run of dotted labels with no space; Herald bounds
/// each search, so such text (pasted by mistake, or sent to the API on purpose) is counted, not stuck on for minutes.
/// </summary>
public sealed class TwitterTextBudgetTests
{
    [Theory]
    [InlineData("a.")]
    [InlineData("漢.")]
    public void ParseTweet_LongRunOfDottedLabels_IsCountedAndOverTheLimit(string label)
    {
        // Without the budget, 1,000 characters of this took 13 s and 4,000 over a minute, growing with the square.
        var text = string.Concat(Enumerable.Repeat(label, 3_000));

        var (weighted, invalid) = TwitterText.ParseTweet(text);

        Assert.False(invalid);
        Assert.True(weighted > 280, $"weighted length {weighted}");
    }

    [Fact]
    public void ExtractUrls_UrlsBeforeALongRun_AreStillFound()
    {
        var text = "see https://example.com/a and example.org then " + string.Concat(Enumerable.Repeat("a.", 3_000));

        var urls = TwitterText.ExtractUrls(text).Select(u => u.Value).ToList();

        Assert.Equal(["https://example.com/a", "example.org"], urls.Take(2));
    }
}
