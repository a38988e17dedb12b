using Herald.Sandbox.Hosting;
using Herald.Testing;
using SkiaSharp;

namespace Herald.Cli.Tests;

/// <summary><c>herald post</c> with an image given by URL: fetched from a real local server, attached on Mastodon; refused when the address is private.</summary>
public sealed class PostImageUrlTests : IAsyncLifetime
{
    private SandboxServer _sandbox = null!;
    private ImageServer _images = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync();
        _images = await ImageServer.StartAsync(Png());
    }

    public async Task DisposeAsync()
    {
        await _images.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task Post_ImageUrlWithLocalAddressesAllowed_IsFetchedAndAttached()
    {
        using var run = new CliRun(CliRun.AccountsOn(_sandbox, "mastodon"));
        run.SetSection("Media", new() { ["AllowPrivateAddresses"] = true });
        var file = run.WriteFile("bell.md", $"---\ntype: post\nimages: [{{src: '{_images.Url("hop/1")}', alt: \"A bell\"}}]\n---\nRing.\n");

        var (exitCode, output, error) = await run.InvokeAsync("post", file, "--to", "mastodon");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        Assert.Contains("✓ published", output, StringComparison.Ordinal);
        var mastodon = _sandbox.Requests.For("mastodon");
        var upload = Assert.Single(mastodon, r => r.Method == "POST" && r.Path == "/mastodon/api/v2/media");
        Assert.True(upload.StatusCode is 200 or 202, upload.Body);
        Assert.Contains("A bell", upload.Body, StringComparison.Ordinal);
        Assert.Contains("media_ids", Assert.Single(mastodon, r => r.Method == "POST" && r.Path == "/mastodon/api/v1/statuses").Body, StringComparison.Ordinal);
        Assert.Equal(1, _images.Hits("/a.png"));
    }

    [Fact]
    public async Task Post_ImageUrlOnLoopbackByDefault_RefusedNamingTheRuleAndTheSetting()
    {
        using var run = new CliRun(CliRun.AccountsOn(_sandbox, "mastodon"));
        var file = run.WriteFile("bell.md", $"---\ntype: post\nimages: [{{src: '{_images.Url("a.png")}', alt: \"A bell\"}}]\n---\nRing.\n");

        var (exitCode, output, error) = await run.InvokeAsync("post", file, "--to", "mastodon");

        Assert.True(exitCode == 2, $"exit {exitCode}\n{output}\n{error}");
        Assert.Contains("images[0].src: points at a private address: 127.0.0.1 is a loopback address", output + error, StringComparison.Ordinal);
        Assert.Contains("Herald:Media:AllowPrivateAddresses", output + error, StringComparison.Ordinal);
        Assert.DoesNotContain(_sandbox.Requests.For("mastodon"), r => r.Method == "POST");
        Assert.Equal(0, _images.Hits("/a.png"));
    }

    private static byte[] Png()
    {
        using var bitmap = new SKBitmap(24, 12);
        bitmap.Erase(new SKColor(10, 160, 90));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
