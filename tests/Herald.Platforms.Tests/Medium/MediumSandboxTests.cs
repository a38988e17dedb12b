using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Herald.Sandbox;

namespace Herald.Platforms.Tests.Medium;

/// <summary>The sandbox's Medium simulator spoken to with a raw HttpClient, per docs/platforms.md, Medium.</summary>
public sealed class MediumSandboxTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly HttpClient _http = new();

    public MediumSandboxTests(SandboxFixture fixture) => _fixture = fixture;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Me_WithoutToken_401Code6000()
    {
        using var response = await _http.GetAsync(Url("me"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"errors":[{"message":"An access token is required.","code":6000}]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Me_UnknownToken_401TokenWasInvalid()
    {
        using var response = await SendAsync(HttpMethod.Get, "me", "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"errors":[{"message":"Token was invalid.","code":6003}]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Me_SandboxToken_TheUserWithItsId()
    {
        using var response = await SendAsync(HttpMethod.Get, "me", SandboxAccounts.MediumToken);

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var data = json.RootElement.GetProperty("data");
        Assert.Equal(SandboxAccounts.MediumUsername, data.GetProperty("username").GetString());
        Assert.Matches("^[0-9a-f]{65}$", data.GetProperty("id").GetString());
        Assert.Equal("https://medium.com/@herald_sandbox", data.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Create_UnderSomeoneElsesId_403AndUnknownId_404UserNotFound()
    {
        var other = _fixture.Server.State.Medium.AddUser($"other-{Guid.NewGuid():N}", $"o{Guid.NewGuid():N}"[..10]);

        using var someoneElse = await SendAsync(HttpMethod.Post, $"users/{other.Id}/posts", SandboxAccounts.MediumToken, ValidBody());
        using var unknown = await SendAsync(HttpMethod.Post, "users/ffff/posts", SandboxAccounts.MediumToken, ValidBody());

        Assert.Equal(HttpStatusCode.Forbidden, someoneElse.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("\"code\":6004", await unknown.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"contentFormat":"markdown","content":"# x"}""", "title")]
    [InlineData("""{"title":"t","contentFormat":"rtf","content":"# x"}""", "contentFormat")]
    [InlineData("""{"title":"t","contentFormat":"markdown"}""", "content")]
    [InlineData("""{"title":"t","contentFormat":"markdown","content":"x","publishStatus":"secret"}""", "publishStatus")]
    [InlineData("""{"title":"t","contentFormat":"markdown","content":"x","license":"mine"}""", "license")]
    [InlineData("""{"title":"t","contentFormat":"markdown","content":"x","tags":"a,b"}""", "tags")]
    public async Task Create_InvalidField_400NamingIt(string body, string field)
    {
        var (token, id) = await NewUserAsync();

        using var response = await SendAsync(HttpMethod.Post, $"users/{id}/posts", token, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Create_FiveTagsFirstTooLong_KeepsOnlyTheValidOnesOfTheFirstThree()
    {
        var (token, id) = await NewUserAsync();
        var body = """{"title":"Tags","contentFormat":"markdown","content":"# Tags","tags":["this-tag-is-much-longer-than-25","a","b","c","d"]}""";

        using var response = await SendAsync(HttpMethod.Post, $"users/{id}/posts", token, body);

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["a", "b"], json.RootElement.GetProperty("data").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Create_TitleOver100Characters_TitleTakenFromTheContent()
    {
        var (token, id) = await NewUserAsync();
        var body = JsonSerializer.Serialize(new { title = new string('t', 101), contentFormat = "markdown", content = "# The real title\n\nBody" });

        using var response = await SendAsync(HttpMethod.Post, $"users/{id}/posts", token, body);

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("The real title", json.RootElement.GetProperty("data").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Create_DraftWithoutCanonical_NoPublishedAtNoCanonicalUrlDefaultLicense()
    {
        var (token, id) = await NewUserAsync();
        var body = """{"title":"Draft","contentFormat":"markdown","content":"# Draft","publishStatus":"draft"}""";

        using var response = await SendAsync(HttpMethod.Post, $"users/{id}/posts", token, body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var data = json.RootElement.GetProperty("data");
        Assert.False(data.TryGetProperty("publishedAt", out _));
        Assert.False(data.TryGetProperty("canonicalUrl", out _));
        Assert.Equal("all-rights-reserved", data.GetProperty("license").GetString());
        Assert.Matches("^[0-9a-f]{12}$", data.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Create_SamePostTwice_TwoPostsBecauseMediumHasNoDuplicateCheck()
    {
        var (token, id) = await NewUserAsync();

        using var first = await SendAsync(HttpMethod.Post, $"users/{id}/posts", token, ValidBody());
        using var second = await SendAsync(HttpMethod.Post, $"users/{id}/posts", token, ValidBody());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(2, _fixture.Server.State.Medium.Posts.Count(p => p.AuthorId == id));
    }

    private async Task<(string Token, string Id)> NewUserAsync()
    {
        var token = $"medium-raw-{Guid.NewGuid():N}";
        var user = _fixture.Server.State.Medium.AddUser(token, $"r{Guid.NewGuid():N}"[..10]);
        using var me = await SendAsync(HttpMethod.Get, "me", token);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        return (token, user.Id);
    }

    private static string ValidBody() => """{"title":"Hello","contentFormat":"markdown","content":"# Hello\n\nWorld","canonicalUrl":"https://blog.example.com/hello"}""";

    private Uri Url(string relative) => new(_fixture.Server.PlatformBaseUrl("medium") + "/" + relative);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string relative, string token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, Url(relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await _http.SendAsync(request);
    }
}
