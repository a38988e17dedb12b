using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Herald.Platforms.X;

/// <summary>The four secrets of OAuth 1.0a user context: the app's consumer pair and the user's token pair.</summary>
internal sealed record XOAuth1Credentials(string ConsumerKey, string ConsumerSecret, string Token, string TokenSecret)
{
    /// <summary>Never prints a secret.</summary>
    public override string ToString() => "(OAuth 1.0a credentials: redacted)";
}

/// <summary>
/// Signs a request with OAuth 1.0a HMAC-SHA1 (RFC 5849 §3.4; docs/platforms.md, X, "Auth"). The signature base
/// string holds the method, the base URI and every query and form parameter with the <c>oauth_*</c> ones;
/// a JSON body is not a parameter and is not signed.
/// </summary>
internal static class XOAuth1Signer
{
    public const string SignatureMethod = "HMAC-SHA1";
    public const string Version = "1.0";

    /// <summary>
    /// The <c>Authorization</c> header value for a request to <paramref name="url"/>.
    /// </summary>
    /// <param name="method">The HTTP method, such as POST.</param>
    /// <param name="url">The whole request URL; its query parameters are signed.</param>
    /// <param name="credentials">Consumer and token pairs.</param>
    /// <param name="nonce">A value never used before with this timestamp.</param>
    /// <param name="timestamp">Seconds since the Unix epoch.</param>
    /// <param name="formParameters">The body parameters of an <c>application/x-www-form-urlencoded</c> body; none for JSON.</param>
    public static string AuthorizationHeader(
        string method,
        Uri url,
        XOAuth1Credentials credentials,
        string nonce,
        long timestamp,
        IEnumerable<KeyValuePair<string, string>>? formParameters = null)
    {
        var oauth = new List<KeyValuePair<string, string>>
        {
            new("oauth_consumer_key", credentials.ConsumerKey),
            new("oauth_nonce", nonce),
            new("oauth_signature_method", SignatureMethod),
            new("oauth_timestamp", timestamp.ToString(CultureInfo.InvariantCulture)),
            new("oauth_token", credentials.Token),
            new("oauth_version", Version),
        };
        var parameters = oauth.Concat(QueryParameters(url)).Concat(formParameters ?? []);
        var signature = Sign(SignatureBaseString(method, url, parameters), credentials.ConsumerSecret, credentials.TokenSecret);
        oauth.Add(new("oauth_signature", signature));
        return "OAuth " + string.Join(", ", oauth.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{PercentEncode(p.Key)}=\"{PercentEncode(p.Value)}\""));
    }

    /// <summary>
    /// RFC 5849 §3.4.1: <c>METHOD&amp;encoded base URI&amp;encoded normalized parameters</c>, the parameters
    /// encoded, then sorted by name and value, then joined as <c>name=value</c> with <c>&amp;</c>.
    /// </summary>
    public static string SignatureBaseString(string method, Uri url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var normalized = string.Join("&", parameters
            .Select(p => (Name: PercentEncode(p.Key), Value: PercentEncode(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));
        return $"{method.ToUpperInvariant()}&{PercentEncode(BaseUri(url))}&{PercentEncode(normalized)}";
    }

    /// <summary>HMAC-SHA1 of the base string with the key <c>consumer secret&amp;token secret</c>, Base64.</summary>
    public static string Sign(string baseString, string consumerSecret, string tokenSecret)
    {
        var key = Encoding.ASCII.GetBytes($"{PercentEncode(consumerSecret)}&{PercentEncode(tokenSecret)}");
        return Convert.ToBase64String(HMACSHA1.HashData(key, Encoding.ASCII.GetBytes(baseString)));
    }

    /// <summary>RFC 5849 §3.6: UTF-8, then every byte but the unreserved <c>A–Z a–z 0–9 - . _ ~</c> as <c>%XX</c>.</summary>
    public static string PercentEncode(string value)
    {
        var encoded = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    /// <summary>A fresh nonce: 32 random bytes as hex.</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>RFC 5849 §3.4.1.2: lower-case scheme and host, the port only when it is not the scheme's default, the path, no query.</summary>
    private static string BaseUri(Uri url)
    {
        var port = url.IsDefaultPort ? "" : ":" + url.Port.ToString(CultureInfo.InvariantCulture);
        return $"{url.Scheme.ToLowerInvariant()}://{url.Host.ToLowerInvariant()}{port}{url.AbsolutePath}";
    }

    /// <summary>RFC 5849 §3.4.1.3.1: the query read as <c>application/x-www-form-urlencoded</c>.</summary>
    private static IEnumerable<KeyValuePair<string, string>> QueryParameters(Uri url)
    {
        var query = url.Query.TrimStart('?');
        if (query.Length == 0)
        {
            yield break;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : pair[(equals + 1)..];
            yield return new(Decode(name), Decode(value));
        }
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
