using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Herald.Platforms.Tests.Media;

namespace Herald.Cli.Tests;

/// <summary>
/// <c>herald preview</c> lists each image per platform as the platform would get it: fitted with the fitter publishing
/// uses (final format, size, dimensions and the steps taken), the URL a downloading platform is given or why there is
/// none, and images given by URL left to scheduling.
/// </summary>
public sealed class PreviewImageTests : IDisposable
{
    private const string Remote = "https://images.example/cat.jpg";

    private readonly CliRun _run = new();
    private readonly string _file;
    private readonly byte[] _wide = TestImages.Solid(4100, 200);
    private readonly byte[] _noise = TestImages.Noise(800, 600, SkiaSharp.SKEncodedImageFormat.Png);

    public PreviewImageTests()
    {
        // Wider than Bluesky's 4000 pixels; and noise over its 1,000,000 bytes as a PNG.
        _run.WriteBytes("wide.png", _wide);
        _run.WriteBytes("noise.png", _noise);
        Assert.True(_noise.Length > 1_000_000, $"{_noise.Length} bytes");
        _file = _run.WriteFile("pictures.md",
            "---\ntype: post\nimages:\n" +
            "  - {src: ./wide.png, alt: \"A green band\"}\n" +
            "  - {src: ./noise.png, alt: \"Static\"}\n" +
            $"  - {{src: '{Remote}', alt: \"A cat\"}}\n" +
            "---\nThree pictures.\n");
    }

    public void Dispose() => _run.Dispose();

    [Fact]
    public async Task PreviewJson_ImagesOverBlueskysLimits_ListedFittedWithTheirFinalSizeFormatDimensionsAltAndSteps()
    {
        var (exitCode, output, error) = await _run.InvokeAsync("preview", _file, "--to", "bluesky", "--json");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        using var json = JsonDocument.Parse(output);
        var images = json.RootElement[0].GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(3, images.Count);

        var wide = images[0];
        Assert.Equal(("upload", "A green band", "PNG", "image/png"), (Text(wide, "delivery"), Text(wide, "alt"), Text(wide, "format"), Text(wide, "mediaType")));
        Assert.Equal((4000, 195), (wide.GetProperty("width").GetInt32(), wide.GetProperty("height").GetInt32()));
        Assert.InRange(wide.GetProperty("length").GetInt64(), 1, 1_000_000);
        Assert.Equal("re-encoded as PNG, resized from 4100×200 to 4000×195, metadata removed", Text(wide, "fitting"));
        Assert.EndsWith("wide.png", Text(wide, "source"), StringComparison.Ordinal);

        var noise = images[1];
        Assert.Equal(("upload", "Static", "JPEG"), (Text(noise, "delivery"), Text(noise, "alt"), Text(noise, "format")));
        Assert.Equal((800, 600), (noise.GetProperty("width").GetInt32(), noise.GetProperty("height").GetInt32()));
        Assert.InRange(noise.GetProperty("length").GetInt64(), 1, 1_000_000);
        Assert.StartsWith("re-encoded PNG → JPEG to fit the size limit, quality ", Text(noise, "fitting"), StringComparison.Ordinal);
        Assert.EndsWith(", metadata removed", Text(noise, "fitting"), StringComparison.Ordinal);

        var remote = images[2];
        Assert.Equal((Remote, "upload"), (Text(remote, "source"), Text(remote, "delivery")));
        Assert.Equal(JsonValueKind.Null, remote.GetProperty("length").ValueKind);
        Assert.StartsWith("fetched at scheduling (a preview fetches nothing), then fitted to at most 1,000,000 bytes and 4,000 pixels on a side",
            Text(remote, "fitting"), StringComparison.Ordinal);
        Assert.All(images, i => Assert.Empty(i.GetProperty("refusals").EnumerateArray()));
    }

    [Fact]
    public async Task PreviewText_ListsEachImageWithWhatFittingDidAndWhyDevToRefusesALocalOne()
    {
        var (exitCode, output, error) = await _run.InvokeAsync("preview", _file, "--to", "bluesky,devto");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        var bluesky = output[..output.IndexOf("Dev.to", StringComparison.Ordinal)];
        var devTo = output[output.IndexOf("Dev.to", StringComparison.Ordinal)..];
        Assert.Contains("  images (3):", bluesky, StringComparison.Ordinal);
        Assert.Contains("    1. wide.png · alt \"A green band\"", bluesky, StringComparison.Ordinal);
        Assert.Matches(@"       uploaded: PNG, [\d,]+ bytes, 4000×195\n       re-encoded as PNG, resized from 4100×200 to 4000×195, metadata removed", bluesky);
        Assert.Matches(@"    2\. noise\.png · alt ""Static""\n       uploaded: JPEG, [\d,]+ bytes, 800×600\n       re-encoded PNG → JPEG to fit the size limit, quality \d+, metadata removed", bluesky);
        Assert.Contains($"    3. {Remote} · alt \"A cat\"\n       uploaded\n       fetched at scheduling (a preview fetches nothing)", bluesky, StringComparison.Ordinal);

        // Dev.to downloads images: a remote one from its own URL, as it is; a local one only from Herald's server.
        Assert.Contains("    1. wide.png · alt \"A green band\"\n       no URL\n       not given to Dev.to: it has no URL to download the image from", devTo, StringComparison.Ordinal);
        Assert.Contains("       ! would be refused: images[0].src: is a local file (wide.png) and Dev.to has no image upload API", devTo, StringComparison.Ordinal);
        Assert.Contains($"       downloaded from {Remote}\n       sent as is: Dev.to downloads it from its own URL", devTo, StringComparison.Ordinal);
        // Each image's refusal is shown once, with the image.
        Assert.DoesNotMatch(new Regex(@"^  ! would be refused: images\[", RegexOptions.Multiline), devTo);
    }

    [Fact]
    public async Task PreviewJson_ThreadsWithAPublicBaseUrl_GivesTheUrlOfHeraldsFittedCopyOrTheSourceUrl()
    {
        _run.SetSetting("PublicBaseUrl", "https://herald.example/");
        var file = _run.WriteFile("two.md",
            $"---\ntype: post\nimages: [{{src: ./noise.png, alt: \"Static\"}}, {{src: '{Remote}', alt: \"A cat\"}}]\n---\nTwo pictures.\n");

        var (exitCode, output, error) = await _run.InvokeAsync("preview", file, "--to", "threads", "--json");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        using var json = JsonDocument.Parse(output);
        var images = json.RootElement[0].GetProperty("images").EnumerateArray().ToList();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(_noise));
        Assert.Equal(("url", $"https://herald.example/media/{sha256}?fit=threads"), (Text(images[0], "delivery"), Text(images[0], "url")));
        Assert.Equal("Threads downloads Herald's copy, re-encoded as PNG, metadata removed", Text(images[0], "fitting"));
        Assert.Equal((800, 600), (images[0].GetProperty("width").GetInt32(), images[0].GetProperty("height").GetInt32()));
        Assert.Equal((Remote, Remote), (Text(images[1], "source"), Text(images[1], "url")));
        Assert.StartsWith("sent as is if it qualifies: Threads downloads it from its own URL if, fetched at scheduling, it is a JPEG or PNG",
            Text(images[1], "fitting"), StringComparison.Ordinal);
        Assert.DoesNotContain(json.RootElement[0].GetProperty("problems").EnumerateArray(), p => p.GetProperty("field").GetString()!.StartsWith("images", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PreviewJson_ThreadsImageWiderThanTenToOne_RefusedWithTheImage()
    {
        _run.SetSetting("PublicBaseUrl", "https://herald.example/");

        var (exitCode, output, error) = await _run.InvokeAsync("preview", _file, "--to", "threads", "--json");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        using var json = JsonDocument.Parse(output);
        var wide = json.RootElement[0].GetProperty("images")[0];
        Assert.Contains("images[0]: is 4100×200 pixels; Threads takes an aspect ratio of at most 10:1",
            Assert.Single(wide.GetProperty("refusals").EnumerateArray()).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_MissingImageFile_RefusedOnEveryPlatformAsSchedulingWould()
    {
        var file = _run.WriteFile("missing.md", "---\ntype: post\nimages: [{src: ./gone.png, alt: \"Gone\"}]\n---\nWhere is it?\n");

        var (exitCode, output, error) = await _run.InvokeAsync("preview", file, "--to", "mastodon,x");

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        Assert.Equal(2, output.Split("! would be refused: images[0].src: names no file", StringSplitOptions.None).Length - 1);
        Assert.Equal(2, output.Split("       not sent: the file cannot be used (below)", StringSplitOptions.None).Length - 1);
    }

    private static string? Text(JsonElement element, string property) =>
        element.GetProperty(property) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
