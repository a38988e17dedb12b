namespace Herald.Media.Fetching;

/// <summary>
/// How Herald fetches an image given by URL at scheduling time (section <c>Herald:Media</c>). By default only public
/// addresses are reached: loopback, private, link-local (cloud metadata included), site-local, shared (CGNAT),
/// benchmarking, documentation, reserved, multicast and unspecified addresses are refused, whatever name leads to
/// them, and so are the IPv6 forms that lead to such an IPv4 address (IPv4-mapped, NAT64, 6to4).
/// </summary>
public sealed class MediaFetchOptions
{
    /// <summary>The configuration section of these settings.</summary>
    public const string Section = "Herald:Media";

    /// <summary>
    /// True lets a fetch reach any address, loopback and private networks included (a sandbox or a test on one
    /// machine). Default false.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>
    /// Host names (as written in the URL, such as <c>images.intranet.example</c>) whose addresses are reached even when
    /// they are private; every other host is checked. Empty by default.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>
    /// Origins such as <c>http://127.0.0.1:5980</c> (scheme, host and port) reached even when their host is private:
    /// that port of that host only, every other port and host is checked. A <c>--sandbox</c> command of the CLI adds
    /// the sandbox's own, so that images it serves can be posted to it. Empty by default.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>How long one image's fetch may take in all, redirects and body included. Default 30 seconds.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many redirects a fetch follows, each one checked like the first address. Default 5.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Every setting out of range, each naming its key; empty when the settings are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (FetchTimeout <= TimeSpan.Zero)
        {
            yield return $"{Section}:{nameof(FetchTimeout)} must be positive, such as 00:00:30 (it is {FetchTimeout}).";
        }

        if (MaxRedirects < 0)
        {
            yield return $"{Section}:{nameof(MaxRedirects)} must be 0 or more (it is {MaxRedirects}).";
        }

        if (AllowedHosts.Any(string.IsNullOrWhiteSpace))
        {
            yield return $"{Section}:{nameof(AllowedHosts)} must list host names, not empty values.";
        }

        foreach (var origin in AllowedOrigins.Where(o => ParseOrigin(o) is null))
        {
            yield return $"{Section}:{nameof(AllowedOrigins)} must list origins such as http://127.0.0.1:5980 (scheme, host and port, no path), not '{origin}'.";
        }
    }

    /// <summary>An origin's scheme, host and port (the scheme's own port when none is written); null when it is not one.</summary>
    internal static (string Scheme, string Host, int Port)? ParseOrigin(string? origin)
    {
        if (!Uri.TryCreate(origin?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") ||
            uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return null;
        }

        return (uri.Scheme, uri.IdnHost.Trim('[', ']'), uri.Port);
    }
}
