using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Herald.Sandbox;

namespace Herald.Platforms.Tests.DevTo;

/// <summary>
/// The sandbox's Forem simulator, spoken to with a raw HttpClient: the behaviour docs/platforms.md, Dev.to describes,
/// including what Herald's adapter never sends (v0 requests, string tags, too many tags).
/// </summary>
public sealed class DevToSandboxTests : IClassFixture<SandboxFixture>, IDisposable
{
    private const string V1 = "application/vnd.forem.api-v1+json";

    private readonly SandboxFixture _fixture;
    private readonly HttpClient _http = new();

    public DevToSandboxTests(SandboxFixture fixture) => _fixture = fixture;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Create_WithoutV1Accept_ServedWithV0WarningHeader()
    {
        var key = NewUser("v0");

        using var response = await SendAsync(HttpMethod.Post, "api/articles", key, """{"article":{"title":"V0 article","body_markdown":"x","published":true}}""", accept: null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var warning = Assert.Single(response.Headers.GetValues("Warning"));
        Assert.StartsWith("299 - This endpoint is part of the V0 (beta) API", warning);
    }

    [Fact]
    public async Task Create_WithV1Accept_NoWarningAndLocationAndShowRepresentation()
    {
        var key = NewUser("shown");

        using var response = await SendAsync(
            HttpMethod.Post, "api/articles", key,
            """{"article":{"title":"Shown  <article>","body_markdown":"Hello <b>","published":true,"tags":["CSharp","web"],"canonical_url":"https://blog.example.com/shown"}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("Warning"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal("article", root.GetProperty("type_of").GetString());
        Assert.Equal("Shown <article>", root.GetProperty("title").GetString());
        Assert.Equal("csharp, web", root.GetProperty("tag_list").GetString());
        Assert.Equal(["csharp", "web"], root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("https://blog.example.com/shown", root.GetProperty("canonical_url").GetString());
        Assert.Equal(
            _fixture.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            root.GetProperty("created_at").GetString());
        var url = root.GetProperty("url").GetString()!;
        Assert.Equal(url, response.Headers.Location!.ToString());
        var slug = root.GetProperty("slug").GetString()!;
        Assert.StartsWith("shown-article-", slug);
        Assert.Equal($"/user_shown/{slug}", root.GetProperty("path").GetString());
        Assert.Equal(new Uri(_fixture.Server.BaseAddress, "devto" + root.GetProperty("path").GetString()).ToString(), url);

        // The URL Herald prints opens as a page with the article, HTML-encoded.
        var page = await _http.GetStringAsync(url);
        Assert.Contains("<h1>Shown &lt;article&gt;</h1>", page);
        Assert.Contains("Hello &lt;b&gt;", page);
    }

    [Fact]
    public async Task Create_MissingOrWrongKey_401Json()
    {
        using var missing = await SendAsync(HttpMethod.Post, "api/articles", key: null, """{"article":{"title":"No key"}}""");
        using var wrong = await SendAsync(HttpMethod.Get, "api/users/me", "wrong-key");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("""{"error":"unauthorized","status":401}""", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task Create_FiveTags_422NamingTheLimit()
    {
        var key = NewUser("fivetags");

        using var response = await SendAsync(
            HttpMethod.Post, "api/articles", key, """{"article":{"title":"Five tags","body_markdown":"x","published":true,"tags":["a","b","c","d","e"]}}""");

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        Assert.Equal("""{"error":"Tag list exceed the maximum of 4 tags","status":422}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Create_BadTagCharactersLongTagTitleAndUrls_422ListingEveryError()
    {
        var key = NewUser("badfields");
        var title = new string('t', 129);

        using var response = await SendAsync(
            HttpMethod.Post, "api/articles", key,
            $$$"""{"article":{"title":"{{{title}}}","tags":["c#","{{{new string('x', 31)}}}"],"canonical_url":"ftp://x.test/a","main_image":"not a url"}}""");

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Contains("Title is too long (maximum is 128 characters)", error);
        Assert.Contains("Tag \"c#\" contains non-alphanumeric", error);
        Assert.Contains("is too long (maximum is 30 characters)", error);
        Assert.Contains("Canonical url is not a valid URL", error);
        Assert.Contains("Main image is not a valid URL", error);
    }

    [Fact]
    public async Task Create_TagsAsCommaString_IgnoredAsUnpermittedParameter()
    {
        var key = NewUser("stringtags");

        using var response = await SendAsync(
            HttpMethod.Post, "api/articles", key, """{"article":{"title":"String tags","body_markdown":"x","tags":"one, two"}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty(Assert.Single(_fixture.Server.State.DevTo.Articles, a => a.Title == "String tags").Tags);
    }

    [Fact]
    public async Task Create_ArticleNotAnObject_422()
    {
        var key = NewUser("notobject");

        using var response = await SendAsync(HttpMethod.Post, "api/articles", key, """{"article":"just text"}""");

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        Assert.StartsWith("article param must be a JSON object", await ErrorAsync(response));
    }

    [Fact]
    public async Task Create_SameCanonicalUrlAsDraft_AllowedBecauseOnlyPublishedArticlesClash()
    {
        var key = NewUser("draftcanonical");
        static string Body(int n, bool published) =>
            $$$"""{"article":{"title":"Draft canonical {{{n}}}","body_markdown":"x","published":{{{(published ? "true" : "false")}}},"canonical_url":"https://blog.example.com/draft-canonical"}}""";

        using var draft = await SendAsync(HttpMethod.Post, "api/articles", key, Body(1, published: false));
        using var published = await SendAsync(HttpMethod.Post, "api/articles", key, Body(2, published: true));
        using var again = await SendAsync(HttpMethod.Post, "api/articles", key, Body(3, published: true));

        Assert.Equal(HttpStatusCode.Created, draft.StatusCode);
        Assert.Equal(HttpStatusCode.Created, published.StatusCode);
        Assert.Equal((HttpStatusCode)422, again.StatusCode);
        Assert.StartsWith("Canonical url has already been taken", await ErrorAsync(again));
    }

    [Fact]
    public async Task Create_RateLimitExceeded_429WithRetryAfterAndDraftsNotCounted()
    {
        var key = NewUser("window");
        using (var draft = await SendAsync(HttpMethod.Post, "api/articles", key, """{"article":{"title":"Window draft","body_markdown":"x"}}"""))
        {
            Assert.Equal(HttpStatusCode.Created, draft.StatusCode);
        }

        for (var i = 0; i < 9; i++)
        {
            using var ok = await SendAsync(HttpMethod.Post, "api/articles", key, $$$"""{"article":{"title":"Window {{{i}}}","body_markdown":"x","published":true}}""");
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var limited = await SendAsync(HttpMethod.Post, "api/articles", key, """{"article":{"title":"Window 9","body_markdown":"x","published":true}}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("""{"error":"Rate limit reached, try again in 30 seconds","status":429}""", await limited.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ListMine_AllPublishedUnpublished_FilteredOrderedAndPaged()
    {
        var key = NewUser("lists");
        foreach (var (title, published) in new[] { ("Old published", true), ("A draft", false), ("New published", true) })
        {
            using var created = await SendAsync(
                HttpMethod.Post, "api/articles", key, $$$"""{"article":{"title":"{{{title}}}","body_markdown":"x","published":{{{(published ? "true" : "false")}}}}}""");
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            _fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(["A draft", "New published", "Old published"], await TitlesAsync("api/articles/me/all", key));
        Assert.Equal(["New published", "Old published"], await TitlesAsync("api/articles/me", key));
        Assert.Equal(["New published", "Old published"], await TitlesAsync("api/articles/me/published", key));
        Assert.Equal(["A draft"], await TitlesAsync("api/articles/me/unpublished", key));
        Assert.Equal(["New published"], await TitlesAsync("api/articles/me/all?per_page=1&page=2", key));
        Assert.Empty(await TitlesAsync("api/articles/me/all?per_page=2&page=3", key));
    }

    [Fact]
    public async Task ShowById_PublishedAndDraft_PublishedShownDraftNotFound()
    {
        var key = NewUser("show");
        using var published = await SendAsync(HttpMethod.Post, "api/articles", key, """{"article":{"title":"Show me","body_markdown":"x","published":true}}""");
        using var draft = await SendAsync(HttpMethod.Post, "api/articles", key, """{"article":{"title":"Hide me","body_markdown":"x"}}""");
        var publishedId = (await JsonAsync(published)).GetProperty("id").GetInt32();
        var draftId = (await JsonAsync(draft)).GetProperty("id").GetInt32();

        using var shown = await SendAsync(HttpMethod.Get, $"api/articles/{publishedId}", key: null);
        using var hidden = await SendAsync(HttpMethod.Get, $"api/articles/{draftId}", key: null);

        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal("Show me", (await JsonAsync(shown)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal("""{"error":"not found","status":404}""", await hidden.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UsersMe_SeededSandboxKey_ReturnsSandboxUser()
    {
        using var response = await SendAsync(HttpMethod.Get, "api/users/me", SandboxAccounts.DevToKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SandboxAccounts.DevToUsername, (await JsonAsync(response)).GetProperty("username").GetString());
    }

    [Fact]
    public void AddUser_TakenKey_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => _fixture.Server.State.DevTo.AddUser(SandboxAccounts.DevToKey, "someone_else"));
    }

    private string NewUser(string name)
    {
        var key = $"sandbox-test-{name}";
        _fixture.Server.State.DevTo.AddUser(key, $"user_{name}");
        return key;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, string? json = null, string? accept = V1)
    {
        using var request = new HttpRequestMessage(method, new Uri(_fixture.Server.BaseAddress, "devto/" + path));
        if (key is not null)
        {
            request.Headers.Add("api-key", key);
        }

        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await _http.SendAsync(request);
    }

    private async Task<IReadOnlyList<string?>> TitlesAsync(string path, string key)
    {
        using var response = await SendAsync(HttpMethod.Get, path, key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = await JsonAsync(response);
        return [.. items.EnumerateArray().Select(a => a.GetProperty("title").GetString())];
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response) =>
        (await JsonAsync(response)).GetProperty("error").GetString() ?? "";
}
