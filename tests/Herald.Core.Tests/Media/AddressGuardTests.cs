using System.Net;
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
    public void Classify_PublicAddress_IsNull(string address) =>
        Assert.Null(AddressGuard.Classify(IPAddress.Parse(address)));

    [Fact]
    public void Problems_OutOfRangeSettings_EachNamedWithItsKey()
    {
        var options = new MediaFetchOptions { FetchTimeout = TimeSpan.Zero, MaxRedirects = -1, AllowedHosts = [" "] };

        Assert.Equal(
            ["Herald:Media:FetchTimeout", "Herald:Media:MaxRedirects", "Herald:Media:AllowedHosts"],
            options.Problems().Select(p => p[..p.IndexOf(' ', StringComparison.Ordinal)]));
        Assert.Empty(new MediaFetchOptions().Problems());
    }
}
