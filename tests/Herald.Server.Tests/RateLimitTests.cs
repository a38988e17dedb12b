using System.Net;
using Herald.Server.Keys;

namespace Herald.Server.Tests;

/// <summary>A server whose keys may make three requests per ten minutes.</summary>
public sealed class TightLimitServerFactory() : ServerFactory(TestDatabase.Sqlite, new Dictionary<string, string?>
{
    ["Herald:Server:RateLimitPermits"] = "3",
    ["Herald:Server:RateLimitWindow"] = "00:10:00",
});

/// <summary>Per-key request limits: 429 with Retry-After once a key's budget is spent, other keys unaffected.</summary>
public sealed class RateLimitTests(TightLimitServerFactory server) : IClassFixture<TightLimitServerFactory>
{
    [Fact]
    public async Task Requests_OverTheKeysBudget_Are429WithRetryAfterAndOtherKeysStillWork()
    {
        using var spender = await server.ClientWithScopesAsync(ApiScopes.Read);
        for (var i = 0; i < 3; i++)
        {
            await spender.GetAsync("/api/v1/accounts").ExpectAsync(HttpStatusCode.OK);
        }

        using var refused = await spender.GetAsync("/api/v1/accounts");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta is { } wait && wait > TimeSpan.Zero && wait <= TimeSpan.FromMinutes(10));
        Api.AssertProblem(await refused.ReadJsonAsync(), 429);

        using var other = await server.ClientWithScopesAsync(ApiScopes.Read);
        await other.GetAsync("/api/v1/accounts").ExpectAsync(HttpStatusCode.OK);
    }
}
