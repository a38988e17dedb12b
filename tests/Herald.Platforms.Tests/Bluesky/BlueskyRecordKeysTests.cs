using System.Text.RegularExpressions;
using Herald.Platforms.Bluesky;

namespace Herald.Platforms.Tests.Bluesky;

public sealed class BlueskyRecordKeysTests
{
    private static readonly Regex Tid = new("^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$");

    [Theory]
    [InlineData("pub-1", 1)]
    [InlineData("0f8c9a4e-1c2d-4b7a-9e11-5a4b3c2d1e0f", 1)]
    [InlineData("", 1)]
    [InlineData("x", 1025)]
    public void For_AnyKeyAndPart_ValidTid(string key, int part)
    {
        var rkey = BlueskyRecordKeys.For(key, part);

        Assert.Matches(Tid, rkey);
        Assert.True(BlueskyRecordKeys.IsValid(rkey));
    }

    [Fact]
    public void For_SameKeyAndPart_SameRecordKeyEveryTime()
    {
        Assert.Equal(BlueskyRecordKeys.For("publication-42", 2), BlueskyRecordKeys.For("publication-42", 2));
    }

    [Fact]
    public void For_PartsOfOneThread_DistinctAndSortedInOrder()
    {
        var keys = Enumerable.Range(1, 1030).Select(n => BlueskyRecordKeys.For("thread", n)).ToList();

        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(keys, keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void For_DifferentPublications_DifferentKeys()
    {
        Assert.NotEqual(BlueskyRecordKeys.For("a", 1), BlueskyRecordKeys.For("b", 1));
    }

    [Fact]
    public void For_TimestampPart_BetweenTwentyTwentyThreeAndTwentyThirtyTwo()
    {
        var rkey = BlueskyRecordKeys.For("when", 1);
        var value = rkey.Aggregate(0L, (acc, c) => (acc << 5) | (long)BlueskyRecordKeys.Alphabet.IndexOf(c, StringComparison.Ordinal));
        var at = DateTimeOffset.FromUnixTimeMilliseconds((value >> 10) / 1000);

        Assert.InRange(at, new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2032, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(0, value & 1023);
    }

    [Theory]
    [InlineData("3jzfcijpj2z2a")]
    [InlineData("2222222222222")]
    public void IsValid_WellFormed_True(string key) => Assert.True(BlueskyRecordKeys.IsValid(key));

    [Theory]
    [InlineData("kjzfcijpj2z2a")]
    [InlineData("3jzfcijpj2z2")]
    [InlineData("3jzfcijpj2z21")]
    [InlineData("3JZFCIJPJ2Z2A")]
    public void IsValid_Malformed_False(string key) => Assert.False(BlueskyRecordKeys.IsValid(key));
}
