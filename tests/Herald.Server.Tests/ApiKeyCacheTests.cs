using System.Net;
using System.Net.Http.Headers;
using Herald.Server.Data;
using Herald.Server.Hosting;
using Herald.Server.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests;

/// <summary>The short trust in a key the database confirmed: how long it lasts, and what ends it early.</summary>
public sealed class ApiKeyCacheTests
{
    private static readonly AuthenticatedKey Key = new(Guid.NewGuid(), "ci", new HashSet<string> { ApiScopes.Read });
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void AConfirmedKey_IsTrustedForTheDuration_ThenAskedForAgain()
    {
        var cache = new ApiKeyCache(TimeSpan.FromSeconds(5), _time);
        Assert.Null(cache.Find("hash"));
        cache.Confirmed("hash", Key, cache.Ask());
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Same(Key, cache.Find("hash"));
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Null(cache.Find("hash"));
        cache.Confirmed("hash", Key, cache.Ask());
        Assert.Same(Key, cache.Find("hash"));
    }

    [Fact]
    public void AKeyTheDatabaseNoLongerKnows_OrOneRevokedHere_IsForgottenAtOnce()
    {
        var cache = new ApiKeyCache(TimeSpan.FromMinutes(1), _time);
        var other = Key with { Id = Guid.NewGuid() };
        cache.Confirmed("a", Key, cache.Ask());
        cache.Confirmed("b", other, cache.Ask());
        cache.Confirmed("a", null, cache.Ask());
        Assert.Null(cache.Find("a"));
        cache.Forget(other.Id);
        Assert.Null(cache.Find("b"));
    }

    [Fact]
    public void AnAnswerReadBeforeARevocationHere_IsNotKept_AndTheDurationCountsFromTheQuestion()
    {
        var cache = new ApiKeyCache(TimeSpan.FromSeconds(5), _time);
        var ticket = cache.Ask();
        // The database said yes; before that answer is recorded, this process revokes the key.
        cache.Forget(Key.Id);
        cache.Confirmed("hash", Key, ticket);
        Assert.Null(cache.Find("hash"));

        ticket = cache.Ask();
        _time.Advance(TimeSpan.FromSeconds(3)); // a slow query
        cache.Confirmed("hash", Key, ticket);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(cache.Find("hash"));
    }

    [Fact]
    public void ExpiredEntries_AreDroppedAsNewKeysCome()
    {
        var cache = new ApiKeyCache(TimeSpan.FromSeconds(5), _time);
        for (var i = 0; i < 100; i++)
        {
            cache.Confirmed($"old{i}", Key with { Id = Guid.NewGuid() }, cache.Ask());
        }

        _time.Advance(TimeSpan.FromSeconds(6));
        cache.Confirmed("new", Key, cache.Ask());
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void ZeroDuration_ChecksEveryRequest()
    {
        var cache = new ApiKeyCache(TimeSpan.Zero, _time);
        cache.Confirmed("hash", Key, cache.Ask());
        Assert.Null(cache.Find("hash"));
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("00:10:00.001")]
    public void ApiKeyCacheDuration_NegativeOrOverTenMinutes_IsRefusedNamingTheSetting(string duration) =>
        Assert.Contains("Herald:Server:ApiKeyCacheDuration must be from zero (check every request) to 10 minutes",
            Assert.Single(new HeraldServerOptions { ApiKeyCacheDuration = TimeSpan.Parse(duration, System.Globalization.CultureInfo.InvariantCulture) }.Problems()),
            StringComparison.Ordinal);
}

/// <summary>A server that trusts a confirmed key for ten minutes, so the test sees the cache answer.</summary>
public sealed class LongKeyCacheServerFactory() : ServerFactory(TestDatabase.Sqlite, new Dictionary<string, string?>
{
    ["Herald:Server:ApiKeyCacheDuration"] = "00:10:00",
});

/// <summary>The cache in the server: a key revoked elsewhere waits for the duration; one revoked here stops at once.</summary>
public sealed class ApiKeyCacheServerTests(LongKeyCacheServerFactory server) : IClassFixture<LongKeyCacheServerFactory>
{
    [Fact]
    public async Task AKeyRevokedInTheDatabaseByAnotherNode_StillWorksUntilChecked_OneRevokedThroughTheApi_StopsAtOnce()
    {
        using var admin = await server.ClientWithScopesAsync(ApiScopes.Admin);
        var key = await server.CreateKeyAsync(ApiScopes.Read);
        using var reader = server.CreateClient();
        reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        await reader.GetAsync("/api/v1/accounts").ExpectAsync(HttpStatusCode.OK);

        // As another API node or `herald keys revoke` would: straight in the database, unseen by this server's cache.
        Guid id;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
            id = (await db.ApiKeys.SingleAsync(k => k.Prefix == key.Substring(0, 11))).Id;
            await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, DateTimeOffset.UtcNow));
        }

        await reader.GetAsync("/api/v1/accounts").ExpectAsync(HttpStatusCode.OK);

        // Revoked through this server (already revoked in the database, so the answer is the same key's row): forgotten here.
        await admin.DeleteAsync($"/api/v1/keys/{id}").ExpectAsync(HttpStatusCode.OK);
        await reader.GetAsync("/api/v1/accounts").ExpectAsync(HttpStatusCode.Unauthorized);
    }
}
