using System.Net;
using System.Text.Json;
using Herald.Sandbox;

namespace Herald.Platforms.Tests.Bluesky;

/// <summary>
/// Issue 14: the sandbox PDS refuses, with a 400 naming the field, what Bluesky's lexicon validator refuses — CIDs
/// that only look like CIDs, malformed embeds — and counts graphemes as Bluesky does (Indic conjuncts are one).
/// </summary>
public sealed partial class BlueskySandboxTests
{
    private const string ImageCid = "bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy";

    [Fact]
    public async Task CreateRecord_ReplyWithACidLookAlike_400NamingTheCid()
    {
        var access = await AccessAsync();
        using var first = await CreateAsync(access, Post("Root"));
        using var created = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        var uri = created.RootElement.GetProperty("uri").GetString()!;
        var cid = created.RootElement.GetProperty("cid").GetString()!;

        // "bafyrei" + base32 of a digest: the old look-alike. Its multihash declares 35 digest bytes and holds 32.
        var lookAlike = "bafyrei" + new string('7', 52);
        using var refused = await CreateAsync(access, Reply("Reply", (uri, lookAlike), (uri, cid)));
        using var badUri = await CreateAsync(access, Reply("Reply", (uri, cid), ("https://bsky.app/post", cid)));
        using var accepted = await CreateAsync(access, Reply("Reply", (uri, cid), (uri, cid)));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(
            """{"error":"InvalidRequest","message":"Invalid app.bsky.feed.post record: Record/reply/root/cid must be a cid string"}""",
            await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badUri.StatusCode);
        Assert.Contains("Record/reply/parent/uri must be a valid at-uri", await badUri.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(2, _server.State.Bluesky.Records.Count);
    }

    [Theory]
    [InlineData("""{"$type":"app.bsky.embed.external","external":{"uri":"https://example.com","title":"T","description":"D"}}""", null)]
    [InlineData("""{"$type":"app.bsky.embed.video","video":{"$type":"blob","ref":{"$link":"CID"},"mimeType":"video/mp4","size":99}}""", null)]
    [InlineData("""{"$type":"app.example.embed.unknown","anything":1}""", null)]
    [InlineData("""{"$type":"app.bsky.embed.images","images":[]}""", "Record/embed/images must be an array of 1 to 4 images")]
    [InlineData("""{"$type":"app.bsky.embed.images","images":[{"image":{"$type":"blob","ref":{"$link":"CID"},"mimeType":"image/png","size":1}}]}""", "Record/embed/images/0 must be an object with the string property \"alt\"")]
    [InlineData("""{"$type":"app.bsky.embed.images","images":[{"alt":"","image":{"$type":"blob","ref":{"$link":"bafy"},"mimeType":"image/png","size":1}}]}""", "Record/embed/images/0/image/ref must be a cid")]
    [InlineData("""{"$type":"app.bsky.embed.images","images":[{"alt":"","image":{"$type":"blob","ref":{"$link":"CID"},"mimeType":"text/plain","size":1}}]}""", "Record/embed/images/0/image mimeType must be image/*, not text/plain")]
    [InlineData("""{"$type":"app.bsky.embed.images","images":[{"alt":"","image":{"$type":"blob","ref":{"$link":"CID"},"mimeType":"image/png","size":2000000}}]}""", "Record/embed/images/0/image is too big (2000000 bytes; at most 1000000)")]
    [InlineData("""{"$type":"app.bsky.embed.external","external":{"uri":"https://example.com","title":"T"}}""", "Record/embed/external must have the string properties \"title\" and \"description\"")]
    [InlineData("""{"$type":"app.bsky.embed.record","record":{"uri":"at://did:plc:abc/app.bsky.feed.post/3kabcdefghij2","cid":"bafyreinot"}}""", "Record/embed/record/cid must be a cid string")]
    [InlineData("""{"$type":"app.bsky.embed.recordWithMedia","record":{"record":{"uri":"at://did:plc:abc/app.bsky.feed.post/3kabcdefghij2","cid":"CID"}},"media":{"$type":"app.bsky.embed.record","record":{}}}""", "Record/embed/media must be images, video or external, not app.bsky.embed.record")]
    [InlineData("""{"images":[]}""", "Record/embed must be an object with a $type")]
    public async Task CreateRecord_Embed_ShapesTheLexiconAllowsAreAcceptedOthers400(string embed, string? problem)
    {
        var record = Post("With an embed")[..^1] + ",\"embed\":" + embed.Replace("CID", ImageCid, StringComparison.Ordinal) + "}";

        using var response = await CreateAsync(await AccessAsync(), record);

        var body = await response.Content.ReadAsStringAsync();
        if (problem is null)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal($"Invalid app.bsky.feed.post record: {problem}", JsonDocument.Parse(body).RootElement.GetProperty("message").GetString());
            Assert.Empty(_server.State.Bluesky.Records);
        }
    }

    [Fact]
    public async Task CreateRecord_ImagesEmbedOfABlobNeverUploaded_IsBlobNotFound()
    {
        // Well shaped, but a PDS only lets a record point at blobs its account uploaded.
        var embed = """{"$type":"app.bsky.embed.images","images":[{"alt":"a cat","image":{"$type":"blob","ref":{"$link":"CID"},"mimeType":"image/jpeg","size":1234}}]}""";
        var record = Post("With an image")[..^1] + ",\"embed\":" + embed.Replace("CID", ImageCid, StringComparison.Ordinal) + "}";

        using var response = await CreateAsync(await AccessAsync(), record);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BlobNotFound", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        Assert.Empty(_server.State.Bluesky.Records);
    }

    [Fact]
    public async Task CreateRecord_IndicConjuncts_CountAsOneGraphemeAsOnBluesky()
    {
        // "हिन्दी" is two clusters by Unicode 15.1's rule GB9c (हि + न्दी); .NET's StringInfo counts three.
        var hindi = string.Concat(Enumerable.Repeat("हिन्दी", 150));
        var access = await AccessAsync();

        using var fits = await CreateAsync(access, Post(hindi));
        using var over = await CreateAsync(access, Post(hindi + "!"));

        Assert.True(fits.StatusCode == HttpStatusCode.OK, await fits.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        Assert.Contains("Record/text must not be longer than 300 graphemes", await over.Content.ReadAsStringAsync());
    }

    private static string Reply(string text, (string Uri, string Cid) root, (string Uri, string Cid) parent) =>
        Post(text)[..^1] + ",\"reply\":{\"root\":" + StrongRef(root) + ",\"parent\":" + StrongRef(parent) + "}}";

    private static string StrongRef((string Uri, string Cid) reference) =>
        JsonSerializer.Serialize(new { uri = reference.Uri, cid = reference.Cid });
}
