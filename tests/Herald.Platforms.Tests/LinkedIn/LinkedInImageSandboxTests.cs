using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Herald.Platforms.Tests.Media;
using Herald.Sandbox;

namespace Herald.Platforms.Tests.LinkedIn;

/// <summary>
/// The sandbox's LinkedIn Images API spoken to with a raw HttpClient: what Herald's adapter never sends (another
/// owner, a second member's PUT, a post naming an image that is still processing or not the author's, a multiImage of one).
/// </summary>
public sealed class LinkedInImageSandboxTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly HttpClient _http = new();

    public LinkedInImageSandboxTests(SandboxFixture fixture) => _fixture = fixture;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task InitializeUpload_ForAnotherOwnerOrWithoutAction_Refused()
    {
        var (token, _) = NewMember("owner");

        using var other = await SendAsync(HttpMethod.Post, "rest/images?action=initializeUpload", token, Initialize("urn:li:person:someone-else"));
        using var noAction = await SendAsync(HttpMethod.Post, "rest/images", token, Initialize("urn:li:person:x"));
        using var notUrn = await SendAsync(HttpMethod.Post, "rest/images?action=initializeUpload", token, Initialize("person:42"));

        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("\"serviceErrorCode\":100", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noAction.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notUrn.StatusCode);
    }

    [Fact]
    public async Task Image_WaitingThenProcessingThenAvailable_AndPrivateToItsOwner()
    {
        var (token, author) = NewMember("states");
        var (urn, uploadUrl) = await InitializeAsync(token, author);

        Assert.Equal("WAITING_UPLOAD", await StatusAsync(token, urn));
        var (intruder, _) = NewMember("intruder");
        using (var stolen = await PutAsync(uploadUrl, intruder, TestImages.Noise(10, 10)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, stolen.StatusCode);
        }

        using (var anonymous = await PutAsync(uploadUrl, null, TestImages.Noise(10, 10)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var put = await PutAsync(uploadUrl, token, TestImages.Noise(10, 10)))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        Assert.Equal("PROCESSING", await StatusAsync(token, urn));
        Assert.Equal("AVAILABLE", await StatusAsync(token, urn));
        using var foreign = await SendAsync(HttpMethod.Get, $"rest/images/{Uri.EscapeDataString(urn)}", intruder, null);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
    }

    [Fact]
    public async Task Image_NotAnImage_ProcessingFailed()
    {
        var (token, author) = NewMember("failed");
        var (urn, uploadUrl) = await InitializeAsync(token, author);

        using var put = await PutAsync(uploadUrl, token, Encoding.UTF8.GetBytes("plain text, not an image"));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("PROCESSING", await StatusAsync(token, urn));
        Assert.Equal("PROCESSING_FAILED", await StatusAsync(token, urn));
    }

    [Fact]
    public async Task Create_ImageStillProcessingOrNotTheAuthorsOrMultiImageOfOne_Refused()
    {
        var (token, author) = NewMember("create");
        var (processing, uploadUrl) = await InitializeAsync(token, author);
        using (var put = await PutAsync(uploadUrl, token, TestImages.Noise(12, 12)))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var (otherToken, otherAuthor) = NewMember("theirs");
        var (theirs, theirUpload) = await InitializeAsync(otherToken, otherAuthor);
        using (var put = await PutAsync(theirUpload, otherToken, TestImages.Noise(13, 13)))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        await StatusAsync(otherToken, theirs);
        Assert.Equal("AVAILABLE", await StatusAsync(otherToken, theirs));

        using var early = await SendAsync(HttpMethod.Post, "rest/posts", token, Post(author, $"{{\"media\":{{\"id\":\"{processing}\",\"altText\":\"x\"}}}}", "early"));
        using var foreign = await SendAsync(HttpMethod.Post, "rest/posts", token, Post(author, $"{{\"media\":{{\"id\":\"{theirs}\"}}}}", "foreign"));
        using var single = await SendAsync(HttpMethod.Post, "rest/posts", token, Post(author, $"{{\"multiImage\":{{\"images\":[{{\"id\":\"{processing}\"}}]}}}}", "single"));

        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Contains("is not AVAILABLE (status PROCESSING)", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, single.StatusCode);
        Assert.Contains("between 2 and 20", await single.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(_fixture.Server.State.LinkedIn.Posts, p => p.Author == author);
    }

    private async Task<(string Urn, Uri UploadUrl)> InitializeAsync(string token, string author)
    {
        using var answer = await SendAsync(HttpMethod.Post, "rest/images?action=initializeUpload", token, Initialize(author));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        var value = json.RootElement.GetProperty("value");
        Assert.True(value.GetProperty("uploadUrlExpiresAt").GetInt64() > 0);
        return (value.GetProperty("image").GetString()!, new Uri(value.GetProperty("uploadUrl").GetString()!));
    }

    private async Task<string?> StatusAsync(string token, string urn)
    {
        using var answer = await SendAsync(HttpMethod.Get, $"rest/images/{Uri.EscapeDataString(urn)}", token, null);
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("status").GetString();
    }

    private async Task<HttpResponseMessage> PutAsync(Uri uploadUrl, string? token, byte[] bytes)
    {
        using var message = new HttpRequestMessage(HttpMethod.Put, uploadUrl) { Content = new ByteArrayContent(bytes) };
        if (token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _http.SendAsync(message);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string relative, string token, string? json)
    {
        using var message = new HttpRequestMessage(method, new Uri(_fixture.Server.PlatformBaseUrl("linkedin").AbsoluteUri.TrimEnd('/') + "/" + relative));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        message.Headers.Add("LinkedIn-Version", "202611");
        message.Headers.Add("X-Restli-Protocol-Version", "2.0.0");
        if (json is not null)
        {
            message.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await _http.SendAsync(message);
    }

    private static string Initialize(string owner) => $"{{\"initializeUploadRequest\":{{\"owner\":\"{owner}\"}}}}";

    private static string Post(string author, string content, string text) =>
        $"{{\"author\":\"{author}\",\"commentary\":\"{text}\",\"visibility\":\"PUBLIC\",\"distribution\":{{\"feedDistribution\":\"MAIN_FEED\"}},\"content\":{content},\"lifecycleState\":\"PUBLISHED\"}}";

    private (string Token, string Author) NewMember(string name)
    {
        var token = $"token-{name}-{Guid.NewGuid():N}";
        var author = $"urn:li:person:{name}{Guid.NewGuid():N}";
        _fixture.Server.State.LinkedIn.AddMember(token, author);
        return (token, author);
    }
}
