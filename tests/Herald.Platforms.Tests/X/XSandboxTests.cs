using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Sandbox.X;

namespace Herald.Platforms.Tests.X;

/// <summary>
/// The sandbox's X simulator spoken to with a raw HttpClient: the behaviour docs/platforms.md, X describes,
/// including what Herald's adapter never sends (over-long text, bad signatures, replayed nonces).
/// </summary>
public sealed class XSandboxTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly HttpClient _http = new();

    public XSandboxTests(SandboxFixture fixture) => _fixture = fixture;

    private XState X => _fixture.Server.State.X;

    public void Dispose() => _http.Dispose();

    [Theory]
    [InlineData(140, HttpStatusCode.Created)]
    [InlineData(141, HttpStatusCode.BadRequest)]
    public async Task Create_CjkText_WeighsTwoPerCharacter(int characters, HttpStatusCode expected)
    {
        var token = NewToken();

        using var response = await CreateAsync(token, new string('漢', characters));

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("weighted length of 282", body);
            Assert.Contains("invalid-request", body);
        }
    }

    [Theory]
    [InlineData(70, HttpStatusCode.Created)]
    [InlineData(71, HttpStatusCode.BadRequest)]
    public async Task Create_EmojiSequences_WeighTwoEach(int repeats, HttpStatusCode expected)
    {
        // "🙋🏽👨‍🎤" weighs 4 (docs/platforms.md, X conformance example): 70 of them are exactly 280.
        using var response = await CreateAsync(NewToken(), string.Concat(Enumerable.Repeat("🙋🏽👨‍🎤", repeats)));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Create_LongLink_CountsTwentyThree()
    {
        var text = new string('a', 256) + " https://blog.example.com/" + new string('p', 200);

        using var response = await CreateAsync(NewToken(), text);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = await IdOf(response);
        Assert.Equal(256 + 1 + 23, Assert.Single(X.Posts, p => p.Id == id).WeightedLength);
    }

    [Fact]
    public async Task Create_Accepted_201WithIdTextAndRateLimitHeaders()
    {
        using var response = await CreateAsync(NewToken(), "Hello, sandbox");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var data = json.RootElement.GetProperty("data");
        Assert.Matches("^[0-9]{18,19}$", data.GetProperty("id").GetString());
        Assert.Equal("Hello, sandbox", data.GetProperty("text").GetString());
        Assert.Equal("100", Header(response, "x-rate-limit-limit"));
        Assert.Equal("99", Header(response, "x-rate-limit-remaining"));
        Assert.Equal(
            _fixture.Clock.GetUtcNow().AddMinutes(15).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            Header(response, "x-rate-limit-reset"));
    }

    [Fact]
    public async Task Create_SameTextTwice_403DuplicateProblem()
    {
        var token = NewToken();
        using var first = await CreateAsync(token, "Only once, please");

        using var second = await CreateAsync(token, "Only once, please");

        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        Assert.Equal(
            """{"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","title":"Forbidden","status":403}""",
            await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Create_WindowUsedUp_429WithZeroRemaining()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = _fixture.Clock, X = { CreatesPerWindow = 1 } });
        using var first = await CreateAsync(SandboxAccounts.XAccessToken, "One", sandbox);

        using var second = await CreateAsync(SandboxAccounts.XAccessToken, "Two", sandbox);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("0", Header(first, "x-rate-limit-remaining"));
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("0", Header(second, "x-rate-limit-remaining"));
        Assert.Contains("Too Many Requests", await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Create_ReplyToAPostThatDoesNotExist_403()
    {
        using var response = await SendAsync(HttpMethod.Post, "2/tweets", NewToken(), """{"text":"orphan","reply":{"in_reply_to_tweet_id":"123"}}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("deleted or not visible", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Create_WithoutJsonContentType_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url("2/tweets"))
        {
            Content = new StringContent("""{"text":"plain"}""", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", NewToken());

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("content-type of application/json", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Create_ExpiredIssuedToken_401ThenTheRefreshedOneWorksAndTheRefreshTokenIsSpent()
    {
        var user = X.AddUser(Name("expire"));
        var pair = X.IssueTokens(user, SandboxAccounts.XClientId);
        _fixture.Clock.Advance(TimeSpan.FromHours(2));

        using var expired = await CreateAsync(pair.AccessToken, "After two hours");
        using var refreshed = await RefreshAsync(pair.RefreshToken, SandboxAccounts.XClientId);
        using var refreshedAgain = await RefreshAsync(pair.RefreshToken, SandboxAccounts.XClientId);

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        using var tokens = JsonDocument.Parse(await refreshed.Content.ReadAsStringAsync());
        Assert.Equal(7200, tokens.RootElement.GetProperty("expires_in").GetInt32());
        Assert.Equal("bearer", tokens.RootElement.GetProperty("token_type").GetString());
        using var created = await CreateAsync(tokens.RootElement.GetProperty("access_token").GetString()!, "After two hours");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refreshedAgain.StatusCode);
        Assert.Contains("invalid_request", await refreshedAgain.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Token_ConfidentialClientWithoutItsSecret_401InvalidClient()
    {
        var user = X.AddUser(Name("confidential"));
        var clientId = $"conf-{Guid.NewGuid():N}";
        X.AddClient(clientId, "s3cret");
        var pair = X.IssueTokens(user, clientId);

        using var response = await RefreshAsync(pair.RefreshToken, clientId);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_client", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Create_OAuth1WithAWrongSignature_401AndAReplayedNonce_401()
    {
        var url = Url("2/tweets");
        var good = Sign("POST", url, SandboxAccounts.XConsumerSecret, nonce: Guid.NewGuid().ToString("N"));
        var bad = Sign("POST", url, "wrong-secret", nonce: Guid.NewGuid().ToString("N"));

        using var accepted = await SendOAuthAsync(url, good, """{"text":"signed once"}""");
        using var replayed = await SendOAuthAsync(url, good, """{"text":"signed twice"}""");
        using var refused = await SendOAuthAsync(url, bad, """{"text":"signed badly"}""");

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Timeline_NewestFirstWithRepliesAndPages()
    {
        var user = X.AddUser(Name("timeline"));
        var token = $"tl-{Guid.NewGuid():N}";
        X.AddAccessToken(user, token);
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var body = ids.Count == 0
                ? JsonSerializer.Serialize(new { text = $"post {i}" })
                : JsonSerializer.Serialize(new { text = $"post {i}", reply = new { in_reply_to_tweet_id = ids[^1] } });
            using var created = await SendAsync(HttpMethod.Post, "2/tweets", token, body);
            ids.Add(await IdOf(created));
        }

        using var page = await SendAsync(HttpMethod.Get, $"2/users/{user.Id}/tweets?max_results=5&tweet.fields=referenced_tweets", token);
        using var json = JsonDocument.Parse(await page.Content.ReadAsStringAsync());
        var data = json.RootElement.GetProperty("data").EnumerateArray().ToList();
        var next = json.RootElement.GetProperty("meta").GetProperty("next_token").GetString();
        using var rest = await SendAsync(HttpMethod.Get, $"2/users/{user.Id}/tweets?max_results=5&pagination_token={next}", token);
        using var restJson = JsonDocument.Parse(await rest.Content.ReadAsStringAsync());

        Assert.Equal(ids.AsEnumerable().Reverse().Take(5), data.Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(ids[4], data[0].GetProperty("referenced_tweets")[0].GetProperty("id").GetString());
        Assert.Equal("replied_to", data[0].GetProperty("referenced_tweets")[0].GetProperty("type").GetString());
        Assert.Equal(ids[0], Assert.Single(restJson.RootElement.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        Assert.False(Assert.Single(restJson.RootElement.GetProperty("data").EnumerateArray()).TryGetProperty("referenced_tweets", out _));
    }

    [Fact]
    public async Task Timeline_MaxResultsOutOfRange_400()
    {
        using var response = await SendAsync(HttpMethod.Get, "2/users/1580000000000000001/tweets?max_results=500", SandboxAccounts.XAccessToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not between 5 and 100", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DeleteAndLookup_OwnPost_DeletedThenNotFound()
    {
        var token = NewToken();
        using var created = await CreateAsync(token, "Short-lived");
        var id = await IdOf(created);

        using var deleted = await SendAsync(HttpMethod.Delete, $"2/tweets/{id}", token);
        using var lookup = await SendAsync(HttpMethod.Get, $"2/tweets/{id}", token);

        Assert.Equal("""{"data":{"deleted":true}}""", await deleted.Content.ReadAsStringAsync());
        Assert.Contains("Could not find tweet with id", await lookup.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UsersMe_FixedSandboxToken_NamesTheSandboxUser()
    {
        using var response = await SendAsync(HttpMethod.Get, "2/users/me", SandboxAccounts.XAccessToken);

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(SandboxAccounts.XUsername, json.RootElement.GetProperty("data").GetProperty("username").GetString());
    }

    private string NewToken()
    {
        var user = X.AddUser(Name("raw"));
        var token = $"raw-{Guid.NewGuid():N}";
        X.AddAccessToken(user, token);
        return token;
    }

    private Uri Url(string relative, SandboxServer? sandbox = null) => new((sandbox ?? _fixture.Server).PlatformBaseUrl("x") + "/" + relative);

    private Task<HttpResponseMessage> CreateAsync(string token, string text, SandboxServer? sandbox = null) =>
        SendAsync(HttpMethod.Post, "2/tweets", token, JsonSerializer.Serialize(new { text }), sandbox);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string relative, string token, string? json = null, SandboxServer? sandbox = null)
    {
        using var request = new HttpRequestMessage(method, Url(relative, sandbox));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await _http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> RefreshAsync(string refreshToken, string clientId)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = clientId,
        });
        return await _http.PostAsync(Url("2/oauth2/token"), content);
    }

    private async Task<HttpResponseMessage> SendOAuthAsync(Uri url, string authorization, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await _http.SendAsync(request);
    }

    /// <summary>An OAuth 1.0a header for the sandbox user's token, signed here with the test's own HMAC-SHA1.</summary>
    private string Sign(string method, Uri url, string consumerSecret, string nonce)
    {
        static string E(string v) => Uri.EscapeDataString(v);
        var timestamp = _fixture.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var oauth = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["oauth_consumer_key"] = SandboxAccounts.XConsumerKey,
            ["oauth_nonce"] = nonce,
            ["oauth_signature_method"] = "HMAC-SHA1",
            ["oauth_timestamp"] = timestamp,
            ["oauth_token"] = SandboxAccounts.XOAuth1Token,
            ["oauth_version"] = "1.0",
        };
        var parameters = string.Join('&', oauth.Select(p => $"{E(p.Key)}={E(p.Value)}"));
        var baseString = $"{method}&{E(url.GetLeftPart(UriPartial.Path))}&{E(parameters)}";
        var key = Encoding.ASCII.GetBytes($"{E(consumerSecret)}&{E(SandboxAccounts.XOAuth1TokenSecret)}");
        oauth["oauth_signature"] = Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData(key, Encoding.ASCII.GetBytes(baseString)));
        return "OAuth " + string.Join(", ", oauth.Select(p => $"{E(p.Key)}=\"{E(p.Value)}\""));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.First() : null;

    private static async Task<string> IdOf(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("data").GetProperty("id").GetString()!;
    }

    private static string Name(string name) => $"{name}_{Guid.NewGuid():N}"[..15];
}
