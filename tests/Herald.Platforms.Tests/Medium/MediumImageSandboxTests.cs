using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Herald.Platforms.Tests.Media;
using Herald.Sandbox;
using Herald.Sandbox.Medium;
using SkiaSharp;

namespace Herald.Platforms.Tests.Medium;

/// <summary>
/// The sandbox's <c>POST /v1/images</c> spoken to with a raw HttpClient: what Herald's adapter never sends (no token,
/// a wrong or second part, a declared type that is not an image, bytes that are none, too many bytes).
/// </summary>
public sealed class MediumImageSandboxTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly HttpClient _http = new();

    public MediumImageSandboxTests(SandboxFixture fixture) => _fixture = fixture;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Upload_OnePartNamedImage_201WithUrlAndMd5ThatServesTheBytes()
    {
        var user = NewUser("ok");
        var png = TestImages.Noise(20, 10, SKEncodedImageFormat.Png);

        using var answer = await UploadAsync(user.Token, ("image", "image/png", png));

        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        var data = json.RootElement.GetProperty("data");
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(png)), data.GetProperty("md5").GetString());
        Assert.Equal(png, await _http.GetByteArrayAsync(new Uri(data.GetProperty("url").GetString()!)));
    }

    [Fact]
    public async Task Upload_Tiff_AcceptedAsMediumTakesIt()
    {
        var user = NewUser("tiff");
        byte[] tiff = [.. "II*\0"u8.ToArray(), 8, 0, 0, 0, 0, 0];

        using var answer = await UploadAsync(user.Token, ("image", "image/tiff", tiff));

        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        Assert.Equal("image/tiff", Assert.Single(_fixture.Server.State.Medium.Images.All, i => i.OwnerId == user.Id).MediaType);
    }

    [Theory]
    [InlineData("wrong name", 400, "Only one image may be sent per request")]
    [InlineData("two parts", 400, "Only one image may be sent per request")]
    [InlineData("declared text", 400, "Content-Type must be one of")]
    [InlineData("not an image", 400, "is not a JPEG, PNG, GIF or TIFF")]
    [InlineData("too big", 413, "it may be at most 5,000,000")]
    public async Task Upload_Refused_WithMediumsErrorShape(string fault, int status, string message)
    {
        var user = NewUser("bad");
        var png = TestImages.Noise(8, 8, SKEncodedImageFormat.Png);
        (string, string, byte[])[] parts = fault switch
        {
            "wrong name" => [("file", "image/png", png)],
            "two parts" => [("image", "image/png", png), ("image", "image/png", png)],
            "declared text" => [("image", "text/plain", png)],
            "not an image" => [("image", "image/png", Encoding.UTF8.GetBytes("not an image at all"))],
            _ => [("image", "image/png", [.. png, .. new byte[MediumImageState.ImageLimit]])],
        };

        using var answer = await UploadAsync(user.Token, parts);

        Assert.Equal(status, (int)answer.StatusCode);
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("errors")[0];
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Number, error.GetProperty("code").ValueKind);
        Assert.DoesNotContain(_fixture.Server.State.Medium.Images.All, i => i.OwnerId == user.Id);
    }

    [Fact]
    public async Task Upload_WithoutTokenOrScope_401Or403()
    {
        var user = _fixture.Server.State.Medium.AddUser($"medium-ns-{Guid.NewGuid():N}", $"ns{Guid.NewGuid():N}"[..12], canUploadImages: false);
        var png = TestImages.Noise(8, 8, SKEncodedImageFormat.Png);

        using var anonymous = await UploadAsync(null, ("image", "image/png", png));
        using var unscoped = await UploadAsync(user.Token, ("image", "image/png", png));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unscoped.StatusCode);
        Assert.Contains("uploadImage", await unscoped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> UploadAsync(string? token, params (string Name, string Type, byte[] Bytes)[] parts)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, type, bytes) in parts)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue(type);
            form.Add(file, name, "picture.bin");
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(_fixture.Server.PlatformBaseUrl("medium").AbsoluteUri.TrimEnd('/') + "/images")) { Content = form };
        if (token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _http.SendAsync(message);
    }

    private MediumSandboxUser NewUser(string name) =>
        _fixture.Server.State.Medium.AddUser($"medium-{name}-{Guid.NewGuid():N}", $"{name}{Guid.NewGuid():N}"[..12]);
}
