using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Herald.Sandbox;

namespace Herald.Platforms.Tests.LinkedIn;

/// <summary>
/// The sandbox's LinkedIn simulator, spoken to with a raw HttpClient: the behaviour docs/platforms.md, LinkedIn
/// describes, including what Herald's adapter never sends (unescaped text, missing version headers).
/// </summary>
public sealed class LinkedInSandboxTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly HttpClient _http = new();

    public LinkedInSandboxTests(SandboxFixture fixture) => _fixture = fixture;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Create_UnescapedParenthesis_Accepted201ButSilentlyCutThere()
    {
        var (token, author) = NewMember("cut");

        using var response = await PostAsync(token, Body(author, "Steps: 1) write 2) publish"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var urn = Assert.Single(response.Headers.GetValues("x-restli-id"));
        var post = Assert.Single(_fixture.Server.State.LinkedIn.Posts, p => p.Urn == urn);
        Assert.Equal("Steps: 1", post.ShownText);
        Assert.True(post.Truncated);
    }

    [Fact]
    public async Task Create_HashtagTemplateAndMention_ShownAsTagAndName()
    {
        var (token, author) = NewMember("template");

        using var response = await PostAsync(token, Body(author, @"Hi @[Ada](urn:li:person:ada) {hashtag|\\#|dotnet} 5 \\(five\\)"));

        var urn = Assert.Single(response.Headers.GetValues("x-restli-id"));
        var post = Assert.Single(_fixture.Server.State.LinkedIn.Posts, p => p.Urn == urn);
        Assert.Equal("Hi Ada #dotnet 5 (five)", post.ShownText);
        Assert.False(post.Truncated);
    }

    [Fact]
    public async Task Create_WithoutVersionHeader_400()
    {
        var (token, author) = NewMember("noversion");

        using var response = await PostAsync(token, Body(author, "No version"), version: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("LinkedIn-Version", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Create_WithoutRestliProtocolHeader_400()
    {
        var (token, author) = NewMember("norestli");

        using var response = await PostAsync(token, Body(author, "No protocol"), restli: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("X-Restli-Protocol-Version", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Create_VersionOlderThanAYear_426NonexistentVersion()
    {
        var (token, author) = NewMember("oldversion");

        using var response = await PostAsync(token, Body(author, "Old version"), version: "202509");

        Assert.Equal((HttpStatusCode)426, response.StatusCode);
        Assert.Contains("NONEXISTENT_VERSION", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Create_WithoutDistribution_400NamingTheField()
    {
        var (token, author) = NewMember("nodistribution");

        using var response = await PostAsync(token, $$"""{"author":"{{author}}","commentary":"x","visibility":"PUBLIC","lifecycleState":"PUBLISHED"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("/distribution", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Create_SameTextTwice_422DuplicatePostNamingTheFirst()
    {
        var (token, author) = NewMember("dup");
        using var first = await PostAsync(token, Body(author, "Only once"));
        var urn = Assert.Single(first.Headers.GetValues("x-restli-id"));

        using var second = await PostAsync(token, Body(author, "Only once"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        var body = await second.Content.ReadAsStringAsync();
        Assert.Contains("DUPLICATE_POST", body);
        Assert.Contains($"Content is a duplicate of {urn}", body);
    }

    [Fact]
    public async Task Get_CreatedPost_ReturnsItsCommentary()
    {
        var (token, author) = NewMember("get");
        using var created = await PostAsync(token, Body(author, "Fetch me"));
        var urn = Assert.Single(created.Headers.GetValues("x-restli-id"));

        using var request = Request(HttpMethod.Get, "rest/posts/" + Uri.EscapeDataString(urn), token, "202601", "2.0.0");
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"commentary\":\"Fetch me\"", await response.Content.ReadAsStringAsync());
    }

    private (string Token, string Author) NewMember(string name)
    {
        var token = $"raw-{name}-{Guid.NewGuid():N}";
        var author = $"urn:li:person:{name}{Guid.NewGuid():N}";
        _fixture.Server.State.LinkedIn.AddMember(token, author);
        return (token, author);
    }

    private static string Body(string author, string commentary) =>
        $$"""{"author":"{{author}}","commentary":"{{commentary}}","visibility":"PUBLIC","distribution":{"feedDistribution":"MAIN_FEED","targetEntities":[],"thirdPartyDistributionChannels":[]},"lifecycleState":"PUBLISHED","isReshareDisabledByAuthor":false}""";

    private async Task<HttpResponseMessage> PostAsync(string token, string json, string? version = "202601", string? restli = "2.0.0")
    {
        using var request = Request(HttpMethod.Post, "rest/posts", token, version, restli);
        request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return await _http.SendAsync(request);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string token, string? version, string? restli)
    {
        var request = new HttpRequestMessage(method, new Uri(_fixture.Server.PlatformBaseUrl("linkedin") + "/" + path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (version is not null)
        {
            request.Headers.Add("LinkedIn-Version", version);
        }

        if (restli is not null)
        {
            request.Headers.Add("X-Restli-Protocol-Version", restli);
        }

        return request;
    }
}
