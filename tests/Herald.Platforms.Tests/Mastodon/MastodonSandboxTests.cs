using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Sandbox.Mastodon;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Platforms.Tests.Mastodon;

/// <summary>
/// The sandbox's Mastodon instance, spoken to with a raw HttpClient: the behaviour docs/platforms.md, Mastodon describes,
/// including what Herald's adapter never sends (form bodies, a key reused after an hour, text over the limit).
/// </summary>
public sealed class MastodonSandboxTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly HttpClient _http = new();

    public MastodonSandboxTests(SandboxFixture fixture) => _fixture = fixture;

    private SandboxServer Server => _fixture.Server;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Create_SameIdempotencyKeyWithinAnHour_ReturnsTheSameStatus()
    {
        var account = NewAccount("idem");

        using var first = await CreateAsync(account, """{"status":"First"}""", key: "same-key");
        using var second = await CreateAsync(account, """{"status":"Different text"}""", key: "same-key");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await IdOf(first), await IdOf(second));
        Assert.Equal("First", Assert.Single(Server.State.Mastodon.Statuses, s => s.Account == account).Text);
    }

    [Fact]
    public async Task Create_SameIdempotencyKeyAfterAnHour_MakesANewStatus()
    {
        var clock = new FakeTimeProvider(_fixture.Clock.GetUtcNow());
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = clock });
        var account = server.State.Mastodon.AddAccount("token-late", "late");

        using var first = await CreateAsync(account, """{"status":"Early"}""", key: "late-key", server);
        clock.Advance(TimeSpan.FromMinutes(61));
        using var second = await CreateAsync(account, """{"status":"Late"}""", key: "late-key", server);

        Assert.NotEqual(await IdOf(first), await IdOf(second));
        Assert.Equal(2, server.State.Mastodon.Statuses.Count);
    }

    [Fact]
    public async Task Create_KeysArePerAccount_AnotherAccountsKeyMakesItsOwnStatus()
    {
        var alice = NewAccount("alice");
        var bob = NewAccount("bob");

        using var one = await CreateAsync(alice, """{"status":"Alice"}""", key: "shared");
        using var two = await CreateAsync(bob, """{"status":"Bob"}""", key: "shared");

        Assert.NotEqual(await IdOf(one), await IdOf(two));
    }

    [Fact]
    public async Task Create_OverTheLimit_422WithMastodonsError()
    {
        var account = NewAccount("long");

        using var response = await CreateAsync(account, JsonSerializer.Serialize(new { status = new string('a', 501) }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("""{"error":"Validation failed: Text character limit of 500 exceeded"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Create_LongUrlAndRemoteMention_CountAs23AndAsTheUserName()
    {
        var account = NewAccount("count");

        // 400 + 1 + 23 (URL) + 1 + 6 (@alice) + 1 + 67 + 1 (the family emoji is one grapheme) = 500 exactly.
        var text = new string('b', 400) + " https://example.com/" + new string('p', 200) + " @alice@a-very-long-server-name.example.social " +
                   new string('c', 67) + "👨‍👩‍👧";
        using var fits = await CreateAsync(account, JsonSerializer.Serialize(new { status = text }));
        using var over = await CreateAsync(account, JsonSerializer.Serialize(new { status = text + "d" }));

        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, over.StatusCode);
    }

    [Fact]
    public async Task Create_ContentWarningCountsWithTheText()
    {
        var account = NewAccount("cw");

        using var response = await CreateAsync(account, JsonSerializer.Serialize(new { status = new string('a', 490), spoiler_text = new string('w', 11) }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Create_BlankText_422()
    {
        var account = NewAccount("blank");

        using var response = await CreateAsync(account, """{"status":"  "}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Text can't be blank", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Create_FormBody_AcceptedLikeJson()
    {
        var account = NewAccount("form");
        using var request = new HttpRequestMessage(HttpMethod.Post, Statuses(Server))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["status"] = "Form post", ["visibility"] = "unlisted" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.AccessToken);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = Assert.Single(Server.State.Mastodon.Statuses, s => s.Account == account);
        Assert.Equal("unlisted", status.Visibility);
    }

    [Fact]
    public async Task Create_ReplyToUnknownStatus_404RecordNotFound()
    {
        var account = NewAccount("reply");

        using var response = await CreateAsync(account, """{"status":"Reply","in_reply_to_id":"42"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"error":"Record not found"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Create_WithoutToken_401()
    {
        using var response = await _http.PostAsync(Statuses(Server), new StringContent("""{"status":"x"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"error":"The access token is invalid"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Create_Answer_CarriesRateLimitHeadersWithAnIsoReset()
    {
        var account = NewAccount("headers");

        using var response = await CreateAsync(account, """{"status":"Headers"}""");

        Assert.Equal("300", Header(response, "X-RateLimit-Limit"));
        Assert.Equal("299", Header(response, "X-RateLimit-Remaining"));

        // 09:00 on the fixture clock; five-minute windows aligned to the epoch end at 09:05.
        Assert.Equal("2026-11-24T09:05:00.000000Z", Header(response, "X-RateLimit-Reset"));
    }

    [Fact]
    public async Task Create_PastTheStatusLimit_429WithTheStatusWindowInTheHeaders()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 30, 0, TimeSpan.Zero));
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = clock, Mastodon = { StatusesPerWindow = 1 } });
        var account = server.State.Mastodon.AddAccount("token-limited", "limited");

        using var first = await CreateAsync(account, """{"status":"One"}""", server: server);
        using var second = await CreateAsync(account, """{"status":"Two"}""", server: server);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("""{"error":"Too many requests"}""", await second.Content.ReadAsStringAsync());
        Assert.Equal("1", Header(second, "X-RateLimit-Limit"));
        Assert.Equal("0", Header(second, "X-RateLimit-Remaining"));
        Assert.Equal("2026-11-24T12:00:00.000000Z", Header(second, "X-RateLimit-Reset"));
        Assert.Null(second.Headers.RetryAfter);
    }

    [Fact]
    public async Task Instance_LimitsChangedByATest_ShownAtOnce()
    {
        Server.State.Mastodon.MaxCharacters = 1000;
        string body;
        try
        {
            body = await _http.GetStringAsync(new Uri(Server.PlatformBaseUrl("mastodon") + "/api/v2/instance"));
        }
        finally
        {
            Server.State.Mastodon.MaxCharacters = 500;
        }

        using var json = JsonDocument.Parse(body);
        var statuses = json.RootElement.GetProperty("configuration").GetProperty("statuses");
        Assert.Equal(1000, statuses.GetProperty("max_characters").GetInt32());
        Assert.Equal(23, statuses.GetProperty("characters_reserved_per_url").GetInt32());
    }

    [Fact]
    public async Task GetStatus_AfterCreate_SameIdAndUrl()
    {
        var account = NewAccount("get");
        using var created = await CreateAsync(account, """{"status":"Read me"}""");
        var id = await IdOf(created);
        using var request = new HttpRequestMessage(HttpMethod.Get, Statuses(Server) + "/" + id);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.AccessToken);

        using var response = await _http.SendAsync(request);

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(id, json.RootElement.GetProperty("id").GetString());
        Assert.Equal($"{Server.PlatformBaseUrl("mastodon")}/@get/{id}", json.RootElement.GetProperty("url").GetString());
    }

    private MastodonAccount NewAccount(string name) => Server.State.Mastodon.AddAccount($"token-{name}-{Guid.NewGuid():N}", name);

    private static string Statuses(SandboxServer server) => server.PlatformBaseUrl("mastodon") + "/api/v1/statuses";

    private async Task<HttpResponseMessage> CreateAsync(MastodonAccount account, string json, string? key = null, SandboxServer? server = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Statuses(server ?? Server))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.AccessToken);
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await _http.SendAsync(request);
    }

    private static async Task<string> IdOf(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("id").GetString()!;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.First() : null;
}
