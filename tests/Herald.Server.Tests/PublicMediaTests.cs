using System.Net;
using System.Security.Cryptography;
using Herald.Media;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Herald.Server.Tests;

/// <summary>
/// <c>GET /media/{sha256}?fit=…</c>: a stored image re-encoded for a platform that downloads images itself, without a
/// key, with its type, an ETag and a year's immutable caching; never the bytes as scheduled; 404 for anything unknown.
/// </summary>
public abstract class PublicMediaTests(ServerFactory server)
{
    [Fact]
    public async Task Get_WithoutFit_RefusedSoTheBytesAsScheduledWithTheirMetadataNeverLeave()
    {
        var (sha, _) = await StoreAsync(Png(30, 20, seed: 1));
        using var client = server.CreateClient();

        using var answer = await client.GetAsync(new Uri($"/media/{sha}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("fit is required: threads or devto", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WithItsETag_NotModified()
    {
        var (sha, _) = await StoreAsync(Png(31, 20, seed: 2));
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/media/{sha}?fit=devto");
        request.Headers.TryAddWithoutValidation("If-None-Match", $"\"{sha}-devto\"");

        using var answer = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, answer.StatusCode);
        Assert.Empty(await answer.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_FitThreads_ServesAJpegOrPngWithoutMetadataTaggedAsTheVariant()
    {
        var (sha, _) = await StoreAsync(Webp(40, 30));
        using var client = server.CreateClient();

        using var answer = await client.GetAsync(new Uri($"/media/{sha}?fit=threads", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("image/jpeg", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"\"{sha}-threads\"", answer.Headers.ETag?.Tag);
        Assert.Equal("public, max-age=31536000, immutable", answer.Headers.CacheControl?.ToString());
        using var decoded = SKBitmap.Decode(await answer.Content.ReadAsByteArrayAsync());
        Assert.Equal((40, 30), (decoded.Width, decoded.Height));
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "?fit=threads")]
    [InlineData("not-a-hash", "?fit=threads")]
    [InlineData("../herald.db", "")]
    public async Task Get_UnknownOrMalformedHash_NotFound(string sha, string query)
    {
        using var client = server.CreateClient();

        using var answer = await client.GetAsync(new Uri($"/media/{Uri.EscapeDataString(sha)}{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.NotEqual("text/html", answer.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_UnknownFit_BadRequestNamingTheChoices()
    {
        var (sha, _) = await StoreAsync(Png(32, 20, seed: 3));
        using var client = server.CreateClient();

        using var answer = await client.GetAsync(new Uri($"/media/{sha}?fit=medium", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("fit must be threads or devto", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<(string Sha, byte[] Bytes)> StoreAsync(byte[] bytes)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await using var scope = server.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IMediaStore>();
        if (!await store.ContainsAsync(sha))
        {
            await store.AddAsync(new StoredMedia(sha, MediaSniffer.Sniff(bytes)!, bytes.Length, 1, 1), new MemoryStream(bytes));
        }

        return (sha, bytes);
    }

    private static byte[] Png(int width, int height, int seed) => Encode(width, height, SKEncodedImageFormat.Png, seed);

    private static byte[] Webp(int width, int height) => Encode(width, height, SKEncodedImageFormat.Webp, 7);

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format, int seed)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }
}

public sealed class SqlitePublicMediaTests(SqliteServerFactory server) : PublicMediaTests(server), IClassFixture<SqliteServerFactory>;

public sealed class PostgresPublicMediaTests(PostgresServerFactory server) : PublicMediaTests(server), IClassFixture<PostgresServerFactory>;
