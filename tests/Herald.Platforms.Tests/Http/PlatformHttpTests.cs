using System.Buffers;
using System.Net;
using System.Text;
using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms.DevTo;
using Herald.Platforms.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Platforms.Tests.Http;

/// <summary>
/// Answers are read within <see cref="PlatformHttp.MaxResponseBytes"/>: a server that sends more (a hostile or broken
/// self-hosted instance) gets a clear outcome, and the worker never buffers it whole.
/// </summary>
public sealed class PlatformHttpTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Create_AnswerOverTheLimit_UnknownNamingTheLimit(bool announcesLength)
    {
        using var provider = Build(() => new OversizeHandler(announcesLength));
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("devto");

        var outcome = await adapter.PublishAsync(Request());

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Equal(201, outcome.HttpStatus);
        Assert.Contains("4 MiB", outcome.Error);
    }

    [Fact]
    public async Task Lookup_AnswerOverTheLimit_IsUnavailableSoItIsAskedAgainLaterNamingTheLimit()
    {
        using var provider = Build(() => new OversizeHandler(announcesLength: false));
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("devto");

        var lookup = await adapter.FindExistingAsync(Request());

        Assert.Equal(ExistingPostState.Unavailable, lookup.State);
        Assert.Contains("4 MiB", lookup.Reason);
    }

    [Theory]
    [InlineData(true, 10)]
    [InlineData(false, 10)]
    [InlineData(true, 3 * 1024 * 1024)]
    [InlineData(false, 3 * 1024 * 1024)]
    public async Task Create_AnswerWithinTheLimit_IsReadWhole(bool announcesLength, int padding)
    {
        // Without a length the answer is read into a buffer that grows as it fills: 3 MiB takes it through every size.
        using var provider = Build(() => new AnswerHandler(Article(padding), announcesLength));
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("devto");

        var outcome = await adapter.PublishAsync(Request());

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal("1", outcome.ExternalId);
        Assert.Equal(new Uri("https://forem.invalid/a"), outcome.Url);
    }

    [Fact]
    public async Task Create_AnswerJustOverTheLimitWithoutALength_UnknownNamingTheLimit()
    {
        var body = Article(0);
        var overLimit = Article(PlatformHttp.MaxResponseBytes + 1 - body.Length);
        Assert.Equal(PlatformHttp.MaxResponseBytes + 1, overLimit.Length);
        using var provider = Build(() => new AnswerHandler(overLimit, announcesLength: false));
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("devto");

        var outcome = await adapter.PublishAsync(Request());

        Assert.Equal(PublishOutcomeKind.Unknown, outcome.Kind);
        Assert.Contains("4 MiB", outcome.Error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Create_AnswerOfExactlyTheLimit_IsRead(bool announcesLength)
    {
        var body = Article(0);
        var atLimit = Article(PlatformHttp.MaxResponseBytes - body.Length);
        Assert.Equal(PlatformHttp.MaxResponseBytes, atLimit.Length);
        using var provider = Build(() => new AnswerHandler(atLimit, announcesLength));
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("devto");

        var outcome = await adapter.PublishAsync(Request());

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
    }

    [Theory]
    [InlineData(true, 100)]
    [InlineData(false, 100)]
    [InlineData(false, 100_000)]
    [InlineData(true, PlatformHttp.MaxResponseBytes + 1)]
    [InlineData(false, PlatformHttp.MaxResponseBytes + 1)]
    public async Task ReadBody_EveryBufferGoesBackOnceAndWiped(bool announcesLength, int length)
    {
        // Answers carry tokens: none may be left in a pooled array, whether the answer was read, refused or grew.
        var secret = Enumerable.Repeat((byte)'s', length).ToArray();
        var pool = new TrackingPool();
        using HttpContent content = announcesLength ? new ByteArrayContent(secret) : new StreamContent(new UnannouncedStream(secret));

        var body = await PlatformHttp.ReadBodyAsync(content, pool, CancellationToken.None);

        Assert.Equal(length <= PlatformHttp.MaxResponseBytes ? new string('s', length) : null, body);
        // An answer announced as too long is refused before anything is read.
        pool.AssertAllBackAndWiped(anyRented: !(announcesLength && length > PlatformHttp.MaxResponseBytes));
    }

    [Fact]
    public async Task ReadBody_ReadFailingHalfway_GivesItsBufferBackWiped()
    {
        var pool = new TrackingPool();
        using var content = new StreamContent(new FailingStream(Enumerable.Repeat((byte)'s', 50_000).ToArray()));

        await Assert.ThrowsAsync<IOException>(() => PlatformHttp.ReadBodyAsync(content, pool, CancellationToken.None));

        pool.AssertAllBackAndWiped();
    }

    [Theory]
    [InlineData("utf-8 mark")]
    [InlineData("utf-16")]
    [InlineData("utf-16 big-endian")]
    [InlineData("utf-32")]
    [InlineData("utf-32 big-endian")]
    [InlineData("none")]
    [InlineData("partial marks")]
    [InlineData("partial utf-8 mark")]
    [InlineData("partial utf-32 mark")]
    [InlineData("invalid utf-8")]
    [InlineData("empty")]
    public void Decode_AByteOrderMarkDecidesTheEncoding_ElseUtf8(string encoding)
    {
        const string Text = "{\"title\":\"Café ☕ 𝄞\"}";
        var bytes = encoding switch
        {
            "utf-8 mark" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Text)],
            "utf-16" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Text)],
            "utf-16 big-endian" => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(Text)],
            "utf-32" => [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(Text)],
            "utf-32 big-endian" => [.. new UTF32Encoding(true, true).GetPreamble(), .. new UTF32Encoding(true, true).GetBytes(Text)],
            "partial marks" => [0xFF],
            "partial utf-8 mark" => [0xEF, 0xBB],
            "partial utf-32 mark" => [0xFF, 0xFE, 0x00],
            "invalid utf-8" => [0x7B, 0xC3, 0x28, 0xE2, 0x82, 0x7D, 0xF0, 0x9F],
            "empty" => [],
            _ => Encoding.UTF8.GetBytes(Text),
        };
        if (encoding is "partial marks" or "partial utf-8 mark" or "partial utf-32 mark" or "invalid utf-8" or "empty")
        {
            // Not the text: what matters is that it reads as StreamReader read it.
            Assert.Equal(new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true).ReadToEnd(), PlatformHttp.Decode(bytes));
            return;
        }


        Assert.Equal(Text, PlatformHttp.Decode(bytes));
        Assert.Equal(new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true).ReadToEnd(), PlatformHttp.Decode(bytes));
    }

    [Fact]
    public void AddPlatforms_EveryNamedClient_HasTheResponseBufferLimit()
    {
        var services = new ServiceCollection();
        services.AddHerald().AddEveryPlatform();
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        foreach (var name in new[] { "Herald.DevTo", "Herald.Medium", "Herald.X", "Herald.LinkedIn", "Herald.Mastodon", "Herald.Bluesky", "Herald.Threads" })
        {
            Assert.Equal(PlatformHttp.MaxResponseBytes, factory.CreateClient(name).MaxResponseContentBufferSize);
        }
    }

    private static ServiceProvider Build(Func<HttpMessageHandler> handler)
    {
        var services = new ServiceCollection();
        services.AddHerald().AddDevTo();
        services.AddHttpClient(DevToAdapter.HttpClientName).ConfigurePrimaryHttpMessageHandler(handler);
        return services.BuildServiceProvider();
    }

    private static PublishRequest Request() => new(
        new Content { Title = "Oversize answer", Body = "Body." },
        new Account
        {
            Platform = "devto",
            DisplayName = "oversize",
            Credentials = new AccountCredentials { ["api_key"] = "key" },
            BaseUrl = new Uri("https://forem.invalid/api"),
        },
        "herald-oversize");

    /// <summary>A server whose answer is valid JSON with 5 MiB of padding, with or without a Content-Length.</summary>
    private sealed class OversizeHandler(bool announcesLength) : HttpMessageHandler
    {
        private static readonly byte[] Body = Encoding.UTF8.GetBytes(
            "[{\"id\":1,\"title\":\"Oversize answer\",\"url\":\"https://forem.invalid/a\",\"padding\":\"" + new string('x', 5 * 1024 * 1024) + "\"}]");

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var status = request.Method == HttpMethod.Post ? HttpStatusCode.Created : HttpStatusCode.OK;
            HttpContent content = announcesLength ? new ByteArrayContent(Body) : new StreamContent(new UnannouncedStream(Body));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request, Content = content });
        }
    }

    /// <summary>A Dev.to article as the create answers it, padded with <paramref name="padding"/> more bytes.</summary>
    private static byte[] Article(int padding) => Encoding.UTF8.GetBytes(
        "{\"id\":1,\"title\":\"Answer\",\"url\":\"https://forem.invalid/a\",\"padding\":\"" + new string('x', padding) + "\"}");

    /// <summary>A server that answers <paramref name="body"/> as JSON, with or without a Content-Length.</summary>
    private sealed class AnswerHandler(byte[] body, bool announcesLength) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpContent content = announcesLength ? new ByteArrayContent(body) : new StreamContent(new UnannouncedStream(body));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Created) { RequestMessage = request, Content = content });
        }
    }

    /// <summary>A pool that hands out fresh arrays and checks that each comes back exactly once, every byte zero.</summary>
    private sealed class TrackingPool : ArrayPool<byte>
    {
        private readonly List<byte[]> _out = [];
        private readonly List<byte[]> _back = [];

        public override byte[] Rent(int minimumLength)
        {
            var array = new byte[minimumLength];
            _out.Add(array);
            return array;
        }

        public override void Return(byte[] array, bool clearArray = false)
        {
            Assert.Contains(array, _out);
            Assert.DoesNotContain(array, _back);
            _back.Add(array);
        }

        public void AssertAllBackAndWiped(bool anyRented = true)
        {
            Assert.Equal(anyRented, _out.Count > 0);
            Assert.Equal(_out.Count, _back.Count);
            Assert.All(_back, array => Assert.True(array.All(b => b == 0), "a buffer went back to the pool with answer bytes in it"));
        }
    }

    /// <summary>A stream without a length whose reads fail once half of it has been read, as a dropped connection does.</summary>
    private sealed class FailingStream(byte[] bytes) : MemoryStream(bytes)
    {
        private readonly long _failAt = bytes.LongLength / 2;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= _failAt ? throw new IOException("The connection was reset.") : base.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <summary>A stream that does not say how long it is, as a chunked answer does not.</summary>
    private sealed class UnannouncedStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
