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
        return async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host.Trim('[', ']');
            var addresses = IPAddress.TryParse(host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, cancellationToken);
            if (!options.AllowPrivateAddresses && !allowedHosts.Contains(host))
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

    private static string? ClassifyV4(byte[] b) => b switch
    {
        [0, ..] => b.All(x => x == 0) ? "unspecified" : "reserved (0.0.0.0/8)",
        [127, ..] => "loopback",
        [10, ..] or [172, >= 16 and <= 31, ..] or [192, 168, ..] => "private",
        [169, 254, ..] => "link-local",
        [100, >= 64 and <= 127, ..] => "shared (carrier-grade NAT)",
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
            // ::a.b.c.d, the old IPv4-compatible form: judged by its IPv4 address.
            _ when b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 => ClassifyV4(b[12..]),
            _ => null,
        };
    }
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
