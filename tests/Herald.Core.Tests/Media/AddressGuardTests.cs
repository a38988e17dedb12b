using System.Net;
using System.Net.Sockets;
using Herald.Media.Fetching;

namespace Herald.Core.Tests.Media;

public sealed class AddressGuardTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.254", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("fc00::1", "private")]
    [InlineData("fd12:3456::1", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("febf::1", "link-local")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("100.64.0.1", "shared (carrier-grade NAT)")]
    [InlineData("100.127.255.255", "shared (carrier-grade NAT)")]
    [InlineData("255.255.255.255", "reserved (240.0.0.0/4)")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:10.1.2.3", "private")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("::10.1.2.3", "private")]
    [InlineData("0.1.2.3", "reserved (0.0.0.0/8)")]
    [InlineData("240.0.0.1", "reserved (240.0.0.0/4)")]
    [InlineData("192.0.0.8", "reserved (192.0.0.0/24)")]
    [InlineData("198.18.0.1", "benchmarking (198.18.0.0/15)")]
    [InlineData("198.19.255.254", "benchmarking (198.18.0.0/15)")]
    [InlineData("192.0.2.10", "documentation")]
    [InlineData("198.51.100.10", "documentation")]
    [InlineData("203.0.113.10", "documentation")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("fdff:ffff::1", "private")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("feff::1", "site-local")]
    [InlineData("64:ff9b::7f00:1", "NAT64 loopback")]
    [InlineData("64:ff9b::10.0.0.1", "NAT64 private")]
    [InlineData("64:ff9b::169.254.169.254", "NAT64 link-local")]
    [InlineData("64:ff9b::100.64.0.1", "NAT64 shared (carrier-grade NAT)")]
    [InlineData("64:ff9b::198.18.0.1", "NAT64 benchmarking (198.18.0.0/15)")]
    [InlineData("64:ff9b:1::8.8.8.8", "local-use NAT64 (64:ff9b:1::/48)")]
    [InlineData("64:ff9b:1:ffff::1", "local-use NAT64 (64:ff9b:1::/48)")]
    [InlineData("2002:7f00:1::1", "6to4 loopback")]
    [InlineData("2002:c0a8:101::1", "6to4 private")]
    [InlineData("2002:a9fe:a9fe::", "6to4 link-local")]
    [InlineData("2002:e000:1::", "6to4 multicast")]
    public void Classify_NonPublicAddress_NamesItsKind(string address, string kind) =>
        Assert.Equal(kind, AddressGuard.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("169.253.1.1")]
    [InlineData("2606:4700::6810:84e5")]
    [InlineData("::ffff:93.184.216.34")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.1")]
    [InlineData("192.0.1.1")]
    [InlineData("192.0.3.1")]
    [InlineData("64:ff9b::8.8.8.8")]
    [InlineData("64:ff9b::93.184.216.34")]
    [InlineData("2002:808:808::1")]
    [InlineData("2001:db9::1")]
    public void Classify_PublicAddress_IsNull(string address) =>
        Assert.Null(AddressGuard.Classify(IPAddress.Parse(address)));

    [Fact]
    public void Problems_OutOfRangeSettings_EachNamedWithItsKey()
    {
        var options = new MediaFetchOptions
        {
            FetchTimeout = TimeSpan.Zero,
            MaxRedirects = -1,
            AllowedHosts = [" "],
            AllowedOrigins = ["http://127.0.0.1:5980/images", "ftp://127.0.0.1"],
        };

        Assert.Equal(
            ["Herald:Media:FetchTimeout", "Herald:Media:MaxRedirects", "Herald:Media:AllowedHosts", "Herald:Media:AllowedOrigins", "Herald:Media:AllowedOrigins"],
            options.Problems().Select(p => p[..p.IndexOf(' ', StringComparison.Ordinal)]));
        Assert.Contains("not 'http://127.0.0.1:5980/images'", options.Problems().ElementAt(3), StringComparison.Ordinal);
        Assert.Empty(new MediaFetchOptions().Problems());
        Assert.Empty(new MediaFetchOptions { AllowedOrigins = ["http://127.0.0.1:5980", "https://[::1]:8443/", "http://localhost"] }.Problems());
    }

    [Fact]
    public async Task Connect_AllowedOrigin_ReachesThatPortOnlyOtherLoopbackPortsAndSchemesStayRefused()
    {
        using var allowed = new OneAnswerServer();
        using var other = new OneAnswerServer();
        var options = new MediaFetchOptions { AllowedOrigins = [$"http://127.0.0.1:{allowed.Port}"] };
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = AddressGuard.ConnectCallback(options), UseProxy = false });

        var answer = await client.GetStringAsync(new Uri($"http://127.0.0.1:{allowed.Port}/a.png"));
        var otherPort = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(new Uri($"http://127.0.0.1:{other.Port}/a.png")));
        using var https = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = AddressGuard.ConnectCallback(new MediaFetchOptions { AllowedOrigins = [$"https://127.0.0.1:{allowed.Port}"] }),
            UseProxy = false,
        });
        var otherScheme = await Assert.ThrowsAsync<HttpRequestException>(() => https.GetStringAsync(new Uri($"http://127.0.0.1:{allowed.Port}/a.png")));

        Assert.Equal("ok", answer);
        Assert.Contains("127.0.0.1 is a loopback address", otherPort.InnerException?.Message ?? otherPort.Message, StringComparison.Ordinal);
        Assert.Equal(0, other.Accepted);
        Assert.Contains("127.0.0.1 is a loopback address", otherScheme.InnerException?.Message ?? otherScheme.Message, StringComparison.Ordinal);
        Assert.Equal(1, allowed.Accepted);
    }

    /// <summary>A real listener on 127.0.0.1 that answers every connection's first request with 200 "ok", counting connections.</summary>
    private sealed class OneAnswerServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private int _accepted;

        public OneAnswerServer()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Accepted => Volatile.Read(ref _accepted);

        public void Dispose() => _listener.Stop();

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    using var socket = await _listener.AcceptSocketAsync();
                    Interlocked.Increment(ref _accepted);
                    var buffer = new byte[4096];
                    await socket.ReceiveAsync(buffer);
                    await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray());
                    socket.Shutdown(SocketShutdown.Both);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }
    }
}
