using System.Security.Cryptography;
using System.Text;

namespace Herald.Sandbox.X;

/// <summary>
/// Checks an OAuth 1.0a HMAC-SHA1 signature the way the server side of RFC 5849 §3.4 does: rebuild the base
/// string from the request as it arrived (method, scheme, host, path, query, form body and the <c>oauth_*</c>
/// header parameters but the signature) and compare the HMAC keyed with the secrets the sandbox knows.
/// A JSON body is not a parameter (docs/platforms.md, X, "Auth").
/// </summary>
internal static class XOAuth1Verifier
{
    /// <summary>The parameters of an <c>Authorization: OAuth …</c> header, decoded; null when it is not one.</summary>
    public static Dictionary<string, string>? ParseHeader(string header)
    {
        if (!header.StartsWith("OAuth ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in header[6..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return null;
            }

            var value = item[(equals + 1)..].Trim();
            if (value.Length < 2 || value[0] != '"' || value[^1] != '"')
            {
                return null;
            }

            values[Uri.UnescapeDataString(item[..equals].Trim())] = Uri.UnescapeDataString(value[1..^1]);
        }

        return values;
    }

    public static bool IsValid(HttpRequest request, string? formBody, IReadOnlyDictionary<string, string> oauth, string consumerSecret, string tokenSecret)
    {
        if (!oauth.TryGetValue("oauth_signature", out var signature))
        {
            return false;
        }

        var parameters = oauth.Where(p => p.Key != "oauth_signature" && p.Key != "realm").Select(p => (p.Key, p.Value)).ToList();
        foreach (var (name, values) in request.Query)
        {
            parameters.AddRange(values.Select(v => (name, v ?? "")));
        }

        if (formBody is not null)
        {
            foreach (var pair in formBody.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=', 2);
                parameters.Add((Decode(parts[0]), parts.Length > 1 ? Decode(parts[1]) : ""));
            }
        }

        var normalized = string.Join('&', parameters
            .Select(p => (Name: Encode(p.Item1), Value: Encode(p.Item2)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
        var baseUri = $"{request.Scheme.ToLowerInvariant()}://{request.Host.Value!.ToLowerInvariant()}{request.PathBase}{request.Path}";
        var baseString = $"{request.Method.ToUpperInvariant()}&{Encode(baseUri)}&{Encode(normalized)}";
        var key = Encoding.ASCII.GetBytes(Encode(consumerSecret) + "&" + Encode(tokenSecret));
        var expected = Convert.ToBase64String(HMACSHA1.HashData(key, Encoding.ASCII.GetBytes(baseString)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }

    /// <summary>RFC 3986 unreserved characters stay, every other UTF-8 byte becomes %XX (upper-case hex).</summary>
    private static string Encode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            builder.Append(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~' ? ((char)b).ToString() : $"%{b:X2}");
        }

        return builder.ToString();
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
