using System.Net;
using System.Net.Sockets;

namespace Herald.Media.Fetching;

/// <summary>
/// Decides which addresses a fetch may connect to, at connect time: the host name is resolved here and every address
/// it resolves to is checked before a socket opens, so a name that changes its answer between a check and the
/// connection (DNS rebinding) cannot lead past the check.
/// </summary>
internal static class AddressGuard
{
    /// <summary>What kind of non-public address <paramref name="address"/> is ("loopback", "private" …); null when it is public.</summary>
    public static string? Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return Classify(address.MapToIPv4());
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => ClassifyV6(address),
            _ => "not an internet address",
        };
    }

    /// <summary>
    /// The connect step of the fetch's handler: resolves the host, refuses it when any of its addresses is not public
    /// (unless <paramref name="options"/> allows it), then connects to the first address that answers.
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(MediaFetchOptions options)
    {
        var allowedHosts = new HashSet<string>(options.AllowedHosts.Select(h => h.Trim().Trim('[', ']')), StringComparer.OrdinalIgnoreCase);
        var allowedOrigins = options.AllowedOrigins.Select(MediaFetchOptions.ParseOrigin).OfType<(string Scheme, string Host, int Port)>().ToList();
        return async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host.Trim('[', ']');
            var addresses = IPAddress.TryParse(host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, cancellationToken);
            if (!options.AllowPrivateAddresses && !allowedHosts.Contains(host) && !IsAllowedOrigin(allowedOrigins, context, host))
            {
                foreach (var address in addresses)
                {
                    if (Classify(address) is { } kind)
                    {
                        throw new BlockedAddressException(host, address, kind);
                    }
                }
            }

            return await ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
        };
    }

    /// <summary>True when the connection is for an origin <see cref="MediaFetchOptions.AllowedOrigins"/> names: the same scheme, host and port.</summary>
    private static bool IsAllowedOrigin(List<(string Scheme, string Host, int Port)> origins, SocketsHttpConnectionContext context, string host)
    {
        var scheme = context.InitialRequestMessage.RequestUri?.Scheme;
        return origins.Exists(o =>
            o.Port == context.DnsEndPoint.Port && string.Equals(o.Host, host, StringComparison.OrdinalIgnoreCase) && o.Scheme == scheme);
    }

    private static async Task<Stream> ConnectAsync(IPAddress[] addresses, int port, CancellationToken cancellationToken)
    {
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private static string? ClassifyV4(ReadOnlySpan<byte> b) => b switch
    {
        [0, ..] => b.IndexOfAnyExcept((byte)0) < 0 ? "unspecified" : "reserved (0.0.0.0/8)",
        [127, ..] => "loopback",
        [10, ..] or [172, >= 16 and <= 31, ..] or [192, 168, ..] => "private",
        [169, 254, ..] => "link-local",
        [100, >= 64 and <= 127, ..] => "shared (carrier-grade NAT)",
        [192, 0, 0, ..] => "reserved (192.0.0.0/24)",
        [192, 0, 2, ..] or [198, 51, 100, ..] or [203, 0, 113, ..] => "documentation",
        [198, 18 or 19, ..] => "benchmarking (198.18.0.0/15)",
        [>= 224 and <= 239, ..] => "multicast",
        [>= 240, ..] => "reserved (240.0.0.0/4)",
        _ => null,
    };

    private static string? ClassifyV6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "loopback";
        }

        var b = address.GetAddressBytes();
        return b switch
        {
            [>= 0xFC and <= 0xFD, ..] => "private",
            [0xFE, >= 0x80 and <= 0xBF, ..] => "link-local",
            [0xFE, >= 0xC0, ..] => "site-local",
            [0xFF, ..] => "multicast",
            [0x20, 0x01, 0x0D, 0xB8, ..] => "documentation",
            // 64:ff9b::/96, NAT64's well-known prefix: a translator reaches the IPv4 address in its last 32 bits.
            [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0, ..] => Embedded("NAT64", b.AsSpan(12)),
            // 64:ff9b:1::/48, for NAT64 inside one network: where the IPv4 address sits depends on that network's
            // prefix length, so none of it is taken for public.
            [0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01, ..] => "local-use NAT64 (64:ff9b:1::/48)",
            // 2002::/16, 6to4: bits 16 to 47 are the IPv4 address of the site's 6to4 router, which the packets are sent to.
            [0x20, 0x02, ..] => Embedded("6to4", b.AsSpan(2, 4)),
            // ::a.b.c.d, the old IPv4-compatible form: judged by its IPv4 address.
            _ when b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 => ClassifyV4(b.AsSpan(12)),
            _ => null,
        };
    }

    /// <summary>"NAT64 loopback" for an IPv6 address that leads to a non-public IPv4 address; null when that one is public.</summary>
    private static string? Embedded(string form, ReadOnlySpan<byte> v4) => ClassifyV4(v4) is { } kind ? $"{form} {kind}" : null;
}

/// <summary>Thrown from the connect step when a host leads to an address the fetch may not reach.</summary>
internal sealed class BlockedAddressException(string host, IPAddress address, string kind)
    : IOException(Describe(host, address, kind))
{
    public string Host { get; } = host;

    public IPAddress Address { get; } = address;

    public string Kind { get; } = kind;

    /// <summary>"10.0.0.1 is a private address", or "db.local resolves to 10.0.0.1, a private address".</summary>
    public static string Describe(string host, IPAddress address, string kind) =>
        IPAddress.TryParse(host, out var literal) && literal.Equals(address)
            ? $"{address} is a {kind} address"
            : $"{host} resolves to {address}, a {kind} address";
}
