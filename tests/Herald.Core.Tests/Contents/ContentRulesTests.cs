using Herald.Contents;

namespace Herald.Core.Tests.Contents;

public sealed class ContentRulesTests
{
    // Review m10: invalid UTF-16 reached the thread splitter through the library API and threw there.
    // (Built in code: xunit's attribute data cannot carry a lone surrogate.)
    [Theory]
    [InlineData("Broken {0} low", 0xDC00)]
    [InlineData("Broken {0} high", 0xD83D)]
    [InlineData("Ends in a high {0}", 0xD83D)]
    public void Validate_LoneSurrogateInBody_IsAProblemNamingTheField(string format, int surrogate)
    {
        var body = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, (char)surrogate);

        var problems = ContentRules.Validate(new Content { Type = ContentType.Post, Body = body });

        var problem = Assert.Single(problems);
        Assert.Equal("body", problem.Field);
        Assert.Contains("lone surrogate", problem.Message, StringComparison.Ordinal);
        Assert.Contains("invalid UTF-16", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LoneSurrogateInATagOrAnOverride_NamesThatField()
    {
        var content = new Content
        {
            Title = "Fine",
            Body = "Fine body",
            Tags = ["ok", "bad\uDC00"],
            Overrides = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["x"] = new Dictionary<string, string> { ["text"] = "\uD800" },
            },
        };

        var problems = ContentRules.Validate(content);

        Assert.Equal(["tags[1]", "overrides.x.text"], problems.Select(p => p.Field));
    }

    [Fact]
    public void Validate_NulCharacterInBody_IsAProblemNamingTheRule()
    {
        var problems = ContentRules.Validate(new Content { Type = ContentType.Post, Body = "Cut here\0and the rest was lost" });

        var problem = Assert.Single(problems);
        Assert.Equal("body", problem.Field);
        Assert.Contains("NUL", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ValidSurrogatePairs_AreFine()
    {
        Assert.Empty(ContentRules.Validate(new Content { Type = ContentType.Post, Body = "Party 🎉 and family 👨‍👩‍👧" }));
    }

    [Fact]
    public void Validate_BodyOverMaxContentBytes_NamesTheSizeTheLimitAndTheSetting()
    {
        var limits = new ContentLimits { MaxContentBytes = 1000 };
        // 400 chars of 3 bytes each: 1,200 bytes although only 400 chars.
        var problems = ContentRules.Validate(new Content { Type = ContentType.Post, Body = new string('€', 400) }, limits);

        var problem = Assert.Single(problems);
        Assert.Equal("body", problem.Field);
        Assert.Equal("is 1,200 bytes; the limit is 1,000 bytes (Herald:Limits:MaxContentBytes)", problem.Message);
    }

    [Fact]
    public void Validate_BodyAtMaxContentBytes_IsFine()
    {
        var limits = new ContentLimits { MaxContentBytes = 1200 };

        Assert.Empty(ContentRules.Validate(new Content { Type = ContentType.Post, Body = new string('€', 400) }, limits));
    }

    [Fact]
    public void MaxThreadPartsFor_PlatformOverride_WinsAndNamesItsOwnKey()
    {
        var limits = new ContentLimits
        {
            MaxThreadParts = 10,
            Platforms = new(StringComparer.OrdinalIgnoreCase) { ["X"] = new PlatformContentLimits { MaxThreadParts = 4 } },
        };

        Assert.Equal(4, limits.MaxThreadPartsFor("x"));
        Assert.Equal("Herald:Limits:Platforms:x:MaxThreadParts", limits.MaxThreadPartsKey("x"));
        Assert.Equal(10, limits.MaxThreadPartsFor("mastodon"));
        Assert.Equal("Herald:Limits:MaxThreadParts", limits.MaxThreadPartsKey("mastodon"));
    }

    [Fact]
    public void Problems_ZeroOrNegativeLimits_NameEachKey()
    {
        var limits = new ContentLimits
        {
            MaxContentBytes = 0,
            MaxThreadParts = -1,
            Platforms = new() { ["bluesky"] = new PlatformContentLimits { MaxThreadParts = 0 } },
        };

        Assert.Equal(
            ["Herald:Limits:MaxContentBytes", "Herald:Limits:MaxThreadParts", "Herald:Limits:Platforms:bluesky:MaxThreadParts"],
            limits.Problems().Select(p => p[..p.IndexOf(' ', StringComparison.Ordinal)]));
    }

    // Found by the soak: a tag holding U+FFFE made Dev.to's tag normalisation throw.
    [Fact]
    public void Validate_ReversedByteOrderMarkInATag_IsAProblemNamingTheField()
    {
        var problems = ContentRules.Validate(new Content { Type = ContentType.Post, Body = "Fine", Tags = ["ok", "bad\uFFFE"] });

        var problem = Assert.Single(problems);
        Assert.Equal("tags[1]", problem.Field);
        Assert.Contains("U+FFFE", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("title", 1000)]
    [InlineData("author", 200)]
    [InlineData("series", 200)]
    [InlineData("language", 16)]
    public void Validate_FieldOverItsStoredLength_NamesTheFieldAndTheLimit(string field, int limit)
    {
        var problems = ContentRules.Validate(WithField(field, new string('a', limit + 1)));

        var problem = Assert.Single(problems);
        Assert.Equal(field, problem.Field);
        Assert.Equal($"is {limit + 1:N0} characters long; the limit is {limit:N0} characters", problem.Message);
        Assert.Empty(ContentRules.Validate(WithField(field, new string('a', limit))));
    }

    [Fact]
    public void Validate_LengthsCountCharactersNotUtf16Units()
    {
        // 200 emoji are 400 UTF-16 code units but 200 characters, as the database counts them.
        Assert.Empty(ContentRules.Validate(WithField("author", string.Concat(Enumerable.Repeat("😀", 200)))));
        Assert.Equal("author", Assert.Single(ContentRules.Validate(WithField("author", string.Concat(Enumerable.Repeat("😀", 201))))).Field);
    }

    [Fact]
    public void Validate_CanonicalUrlOverItsStoredLength_NamesTheField()
    {
        var content = new Content { Title = "T", Body = "B", CanonicalUrl = new Uri($"https://blog.example.com/{new string('p', 2100)}") };

        Assert.Equal("canonical_url", Assert.Single(ContentRules.Validate(content)).Field);
    }

    private static Content WithField(string field, string value) => field switch
    {
        "title" => new Content { Title = value, Body = "B" },
        "author" => new Content { Title = "T", Body = "B", Author = value },
        "series" => new Content { Title = "T", Body = "B", Series = value },
        "language" => new Content { Title = "T", Body = "B", Language = value },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "not a bounded field"),
    };
}
