using Herald.Platforms.Tests.Media;
using Herald.Sandbox.Hosting;
using Herald.Testing;

namespace Herald.Cli.Tests;

/// <summary>
/// <c>herald post</c> with an image given by URL: fetched from a real local server, attached on Mastodon; refused when the
/// address is private, unless it is the sandbox's own under <c>--sandbox</c>. And a local image for a platform that downloads it.
/// </summary>
public sealed class PostImageUrlTests : IAsyncLifetime
{
    private SandboxServer _sandbox = null!;
    private ImageServer _images = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync();
        _images = await ImageServer.StartAsync(TestImages.Solid(24, 12));
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

    [Fact]
    public async Task PostSandbox_ImageUrlOnTheSandboxItself_FetchedWhileOtherLoopbackPortsStayRefused()
    {
        using var run = new CliRun();
        run.UseStandaloneSandbox(_sandbox);
        // A first post leaves an image on the sandbox, served at the sandbox's own loopback address.
        var (firstExit, firstOutput, firstError) = await run.InvokeAsync(
            "post", Path.Combine(CliRun.RepositoryRoot, "examples", "post-with-image.md"), "--to", "mastodon", "--sandbox");
        Assert.True(firstExit == 0, $"exit {firstExit}\n{firstOutput}\n{firstError}");
        var onSandbox = new Uri(_sandbox.BaseAddress, Assert.Single(Assert.Single(SandboxPostListing.List(_sandbox.State, "mastodon")).Images).Path);
        Assert.Equal("127.0.0.1", onSandbox.Host);
        var again = run.WriteFile("again.md", $"---\ntype: post\nimages: [{{src: '{onSandbox}', alt: \"The bell again\"}}]\n---\nOnce more.\n");
        var elsewhere = run.WriteFile("elsewhere.md", $"---\ntype: post\nimages: [{{src: '{_images.Url("a.png")}', alt: \"A bell\"}}]\n---\nElsewhere.\n");

        var (exitCode, output, error) = await run.InvokeAsync("post", again, "--to", "bluesky", "--sandbox");
        var (refusedExit, refusedOutput, refusedError) = await run.InvokeAsync("post", elsewhere, "--to", "bluesky", "--sandbox");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        Assert.Contains("✓ published", output, StringComparison.Ordinal);
        Assert.Single(_sandbox.Requests.For("bluesky"), r => r.Path.EndsWith("/com.atproto.repo.uploadBlob", StringComparison.Ordinal));
        var posted = Assert.Single(SandboxPostListing.List(_sandbox.State, "bluesky"));
        Assert.Equal("The bell again", Assert.Single(posted.Images).Alt);
        // Another port of the same loopback address is not the sandbox.
        Assert.True(refusedExit == 2, $"exit {refusedExit}\n{refusedOutput}\n{refusedError}");
        Assert.Contains("images[0].src: points at a private address: 127.0.0.1 is a loopback address", refusedError, StringComparison.Ordinal);
        Assert.Equal(0, _images.Hits("/a.png"));
        Assert.Single(SandboxPostListing.List(_sandbox.State, "bluesky"));
    }

    [Fact]
    public async Task PostSandbox_LocalImageToDevToWithAPublicBaseUrl_ScheduledAndGivenHeraldsUrl()
    {
        using var run = new CliRun();
        run.UseStandaloneSandbox(_sandbox);
        run.SetSetting("PublicBaseUrl", "https://herald.example/");
        var png = TestImages.Solid(30, 20);
        run.WriteBytes("diagram.png", png);
        var file = run.WriteFile("article.md", "---\ntitle: A diagram\nimages: [{src: ./diagram.png, alt: \"A diagram\"}]\n---\nSee the diagram.\n");

        var (exitCode, output, error) = await run.InvokeAsync("post", file, "--to", "devto", "--sandbox");

        // Checked before the bytes are stored, the local image is not refused: storing it gives it its URL.
        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png));
        var article = Assert.Single(SandboxPostListing.List(_sandbox.State, "devto"));
        Assert.Equal(("A diagram", $"https://herald.example/media/{sha256}?fit=devto"), (Assert.Single(article.Images).Alt, article.Images[0].Path));
    }
}
