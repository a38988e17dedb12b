using System.Security.Cryptography;
using System.Text;
using Herald.Contents;

namespace Herald.Publications;

/// <summary>
/// What makes two contents "the same post" for the repost guard: the canonical URL when there is one (the
/// article's home, whatever its wording on each platform), else a SHA-256 of its type, title and body.
/// </summary>
public static class ContentFingerprint
{
    public static string Of(Content content)
    {
        if (content.CanonicalUrl is { IsAbsoluteUri: true } url)
        {
            // Uri already lower-cases the scheme and host; a trailing slash is the same page.
            var normalized = url.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped).TrimEnd('/');
            return $"url:{normalized}";
        }

        var text = $"{content.Type}\n{content.Title}\n{content.Body.Replace("\r\n", "\n", StringComparison.Ordinal).Trim()}";
        return $"sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))}";
    }
}
