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

    [Fact]
    public async Task Create_AnswerOfExactlyTheLimit_IsRead()
    {
        var body = Article(0);
        var atLimit = Article(PlatformHttp.MaxResponseBytes - body.Length);
        using var provider = Build(() => new AnswerHandler(atLimit, announcesLength: false));
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("devto");

        var outcome = await adapter.PublishAsync(Request());

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
    }

    [Theory]
    [InlineData("utf-8 mark")]
    [InlineData("utf-16")]
    [InlineData("utf-16 big-endian")]
    [InlineData("utf-32")]
    [InlineData("utf-32 big-endian")]
    [InlineData("none")]
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
            _ => Encoding.UTF8.GetBytes(Text),
        };

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

    /// <summary>A stream that does not say how long it is, as a chunked answer does not.</summary>
    private sealed class UnannouncedStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
