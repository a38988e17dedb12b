using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Herald.Platforms.Tests.Media;
using Herald.Sandbox;
using Herald.Sandbox.X;

namespace Herald.Platforms.Tests.X;

/// <summary>
/// The sandbox's X image endpoints spoken to with a raw HttpClient: what they accept and answer, and what they refuse
/// that Herald's adapter never sends (wrong categories, oversize bytes, someone else's ids, expired uploads).
/// </summary>
public sealed class XMediaSandboxTests : IClassFixture<SandboxFixture>, IDisposable
{
    private const string InvalidMediaIds = "Your media IDs are invalid.";

    private readonly SandboxFixture _fixture;
    private readonly HttpClient _http = new();

    public XMediaSandboxTests(SandboxFixture fixture) => _fixture = fixture;

    private XState X => _fixture.Server.State.X;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Upload_Image_AnswersTheIdAndWhatItFoundWithRateLimitHeaders()
    {
        using var response = await UploadAsync(NewToken(), TestImages.Noise(40, 30, SkiaSharp.SKEncodedImageFormat.Png));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var data = json.RootElement.GetProperty("data");
        var id = data.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9]{1,19}$", id);
        Assert.Equal("3_" + id, data.GetProperty("media_key").GetString());
        Assert.Equal(86400, data.GetProperty("expires_after_secs").GetInt32());
        Assert.Equal("image/png", data.GetProperty("image").GetProperty("image_type").GetString());
        Assert.Equal((40, 30), (data.GetProperty("image").GetProperty("w").GetInt32(), data.GetProperty("image").GetProperty("h").GetInt32()));
        Assert.Equal("500", response.Headers.GetValues("x-rate-limit-limit").Single());
        Assert.Equal("499", response.Headers.GetValues("x-rate-limit-remaining").Single());
    }

    [Theory]
    [InlineData("no media", "The `media` field is required.")]
    [InlineData("tweet_video", "must be one of [tweet_image, dm_image, subtitles]")]
    [InlineData("not an image", "send a JPEG, PNG, WEBP or GIF image")]
    [InlineData("too big", "an image may be at most 5,000,000")]
    public async Task Upload_Refused_400ProblemNamingTheRule(string mistake, string detail)
    {
        var bytes = mistake switch
        {
            "no media" => null,
            "not an image" => "just some text, not an image"u8.ToArray(),
            // The magic number of a PNG, then padding: the sniffer reads the type, the size rule decides.
            "too big" => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. new byte[5_000_000]],
            _ => TestImages.Noise(8, 8),
        };

        using var response = await UploadAsync(NewToken(), bytes, mistake == "tweet_video" ? "tweet_video" : "tweet_image");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("https://api.x.com/2/problems/invalid-request", json.RootElement.GetProperty("type").GetString());
        Assert.Contains(detail, json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_WithATokenLackingMediaWrite_403AndNothingStored()
    {
        var user = X.AddUser($"noscope_{Guid.NewGuid():N}"[..15]);
        var token = $"no-media-{Guid.NewGuid():N}";
        X.AddAccessToken(user, token, scopes: "tweet.read tweet.write users.read");
        var before = X.Media.All.Count;

        using var response = await UploadAsync(token, TestImages.Noise(8, 8));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(("Forbidden", 403), (json.RootElement.GetProperty("title").GetString(), json.RootElement.GetProperty("status").GetInt32()));
        Assert.Equal(before, X.Media.All.Count);
    }

    [Fact]
    public async Task Upload_WithoutCredentials_401()
    {
        var before = X.Media.All.Count;

        using var response = await UploadAsync("not-a-token", TestImages.Noise(8, 8));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, X.Media.All.Count);
    }

    [Fact]
    public async Task Upload_OverTheUsersWindow_429WithTheResetHeader()
    {
        var token = NewToken();
        _fixture.Server.State.Options.X.MediaUploadsPerWindow = 2;
        try
        {
            using var first = await UploadAsync(token, TestImages.Noise(8, 8));
            using var second = await UploadAsync(token, TestImages.Noise(8, 8));
            using var third = await UploadAsync(token, TestImages.Noise(8, 8));

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], new[] { first.StatusCode, second.StatusCode, third.StatusCode });
            Assert.Equal("0", third.Headers.GetValues("x-rate-limit-remaining").Single());
            Assert.True(third.Headers.Contains("x-rate-limit-reset"));
        }
        finally
        {
            _fixture.Server.State.Options.X.MediaUploadsPerWindow = 500;
        }
    }

    [Theory]
    [InlineData(1_000, HttpStatusCode.OK)]
    [InlineData(1_001, HttpStatusCode.BadRequest)]
    public async Task Metadata_AltTextUpToAThousandCharacters(int length, HttpStatusCode expected)
    {
        var token = NewToken();
        var id = await UploadedIdAsync(token);

        using var response = await MetadataAsync(token, id, new string('a', length));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK ? length : 0, X.Media.Find(id)!.AltText.Length);
    }

    [Fact]
    public async Task Metadata_AnotherUsersUpload_400AndItsAltTextUntouched()
    {
        var id = await UploadedIdAsync(NewToken());

        using var response = await MetadataAsync(NewToken(), id, "Not mine to describe");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("", X.Media.Find(id)!.AltText);
    }

    [Fact]
    public async Task Create_WithOwnUploads_AttachesThemInOrder()
    {
        var token = NewToken();
        var ids = new[] { await UploadedIdAsync(token), await UploadedIdAsync(token) };

        using var response = await CreateAsync(token, "Two images", ids);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var post = Assert.Single(X.Posts, p => p.Id == json.RootElement.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(ids, post.Media.Select(m => m.Id));
    }

    [Theory]
    [InlineData("five")]
    [InlineData("none")]
    [InlineData("not digits")]
    [InlineData("someone else's")]
    [InlineData("never uploaded")]
    public async Task Create_InvalidMediaIds_400InvalidRequestAndNoPost(string mistake)
    {
        var token = NewToken();
        var own = await UploadedIdAsync(token);
        string[] ids = mistake switch
        {
            "five" => [own, own, own, own, own],
            "none" => [],
            "not digits" => ["12ab"],
            "someone else's" => [await UploadedIdAsync(NewToken())],
            _ => ["1234567890"],
        };
        var before = X.Posts.Count;

        using var response = await CreateAsync(token, $"Refused: {mistake}", ids);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Invalid Request", json.RootElement.GetProperty("title").GetString());
        Assert.Equal("https://api.x.com/2/problems/invalid-request", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(InvalidMediaIds, json.RootElement.GetProperty("detail").GetString());
        Assert.Equal(before, X.Posts.Count);
    }

    [Fact]
    public async Task Create_UploadOlderThanItsLifetime_Refused()
    {
        var token = NewToken();
        var id = await UploadedIdAsync(token);
        _fixture.Clock.Advance(_fixture.Server.State.Options.X.MediaLifetime + TimeSpan.FromMinutes(1));

        using var response = await CreateAsync(token, "Too late", [id]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(InvalidMediaIds, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private string NewToken()
    {
        var user = X.AddUser($"media_{Guid.NewGuid():N}"[..15]);
        var token = $"media-{Guid.NewGuid():N}";
        X.AddAccessToken(user, token);
        return token;
    }

    private async Task<string> UploadedIdAsync(string token)
    {
        using var response = await UploadAsync(token, TestImages.Noise(8, 8));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("data").GetProperty("id").GetString()!;
    }

    private Task<HttpResponseMessage> UploadAsync(string token, byte[]? bytes, string category = "tweet_image")
    {
        var form = new MultipartFormDataContent();
        if (bytes is not null)
        {
            form.Add(new ByteArrayContent(bytes), "media", "image");
        }

        form.Add(new StringContent(category), "media_category");
        return SendAsync("2/media/upload", token, form);
    }

    private Task<HttpResponseMessage> MetadataAsync(string token, string id, string alt) =>
        SendAsync("2/media/metadata", token, Json(new { id, metadata = new { alt_text = new { text = alt } } }));

    private Task<HttpResponseMessage> CreateAsync(string token, string text, string[] mediaIds) =>
        SendAsync("2/tweets", token, Json(new { text, media = new { media_ids = mediaIds } }));

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private async Task<HttpResponseMessage> SendAsync(string relative, string token, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_fixture.Server.PlatformBaseUrl("x") + "/" + relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content = content;
        return await _http.SendAsync(request);
    }
}
