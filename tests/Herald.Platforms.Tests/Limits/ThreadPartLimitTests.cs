using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms.Tests.Fuzz;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Platforms.Tests.Limits;

/// <summary>The thread cap through every short-form adapter, configured as a user would (Herald:Limits).</summary>
public sealed class ThreadPartLimitTests
{
    // Review m4 / new-user finding: 200 KB became a 773-part X thread, and 5 MB took 182 s to preview.
    private static readonly string LongText = string.Concat(Enumerable.Repeat("A sentence of a rather long text that goes on. ", 4_300));

    [Theory]
    [InlineData("x")]
    [InlineData("bluesky")]
    [InlineData("threads")]
    [InlineData("mastodon")]
    public void Validate_TextOverTheDefaultCap_IsABodyProblemNamingTheCountAndTheSetting(string platform)
    {
        using var services = Build(new Dictionary<string, string?>());
        var adapter = services.GetRequiredService<PlatformRegistry>().Resolve(platform);
        var content = new Content { Type = ContentType.Post, Body = LongText };

        var problems = adapter.Validate(content, FuzzGen.AccountFor(platform));
        var payload = adapter.Render(content, FuzzGen.AccountFor(platform));

        var problem = Assert.Single(problems, p => p.Field == "body");
        Assert.Matches(@"it would be more than 25 posts \(about [\d,]+\); the limit is 25 \(Herald:Limits:MaxThreadParts\)", problem.Message);
        Assert.Empty(payload.Parts);
    }

    [Fact]
    public void Validate_PlatformOverrideFromConfiguration_AppliesToThatPlatformOnly()
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["Herald:Limits:MaxThreadParts"] = "40",
            ["Herald:Limits:Platforms:x:MaxThreadParts"] = "3",
        });
        var registry = services.GetRequiredService<PlatformRegistry>();
        var content = new Content { Type = ContentType.Post, Body = string.Concat(Enumerable.Repeat("A sentence of a rather long text that goes on. ", 40)) };

        var x = registry.Resolve("x").Validate(content, FuzzGen.AccountFor("x"));
        var mastodon = registry.Resolve("mastodon").Render(content, FuzzGen.AccountFor("mastodon"));

        Assert.Contains(x, p => p.Message.EndsWith("the limit is 3 (Herald:Limits:Platforms:x:MaxThreadParts) (x)", StringComparison.Ordinal) ||
            p.Message.Contains("the limit is 3 (Herald:Limits:Platforms:x:MaxThreadParts)", StringComparison.Ordinal));
        Assert.InRange(mastodon.Parts.Count, 4, 40);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddHerald(o => configuration.GetSection(ContentLimits.Section).Bind(o.Limits))
            .AddX().AddBluesky().AddThreads().AddMastodon();
        return services.BuildServiceProvider();
    }
}
