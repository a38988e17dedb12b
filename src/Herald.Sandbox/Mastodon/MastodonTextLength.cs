using System.Text.RegularExpressions;
using Herald.Formatting.Text;

namespace Herald.Sandbox.Mastodon;

/// <summary>
/// The simulated instance's own count of a status, written from docs/platforms.md, Mastodon ("Character counting",
/// upstream StatusLengthValidator), sharing nothing with Herald's counters: the content warning and the
/// text are counted together in grapheme clusters, after every <c>http(s)://</c> link is replaced by
/// <c>characters_reserved_per_url</c> characters and every <c>@user@domain</c> by <c>@user</c>.
/// </summary>
internal static partial class MastodonTextLength
{
    public static int Count(string spoilerText, string text, int charactersReservedPerUrl)
    {
        var placeholder = new string('x', charactersReservedPerUrl);
        var withoutUrls = Url().Replace(text, match =>
        {
            var url = TrimTrailingPunctuation(match.Value);
            return placeholder + match.Value[url.Length..];
        });
        var countable = Mention().Replace(withoutUrls, match => "@" + match.Groups["user"].Value);
        return Graphemes.Count(spoilerText + countable);
    }

    /// <summary>A link does not take the punctuation that ends its sentence, nor an unbalanced <c>)</c>.</summary>
    private static string TrimTrailingPunctuation(string url)
    {
        var end = url.Length;
        while (end > 0)
        {
            var last = url[end - 1];
            if (last is '.' or ',' or ':' or ';' or '!' or '?' or '\'' or '"')
            {
                end--;
            }
            else if (last == ')' && Opened(url.AsSpan(0, end)) < 0)
            {
                end--;
            }
            else
            {
                break;
            }
        }

        return url[..end];
    }

    private static int Opened(ReadOnlySpan<char> text)
    {
        var depth = 0;
        foreach (var c in text)
        {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        }

        return depth;
    }

    [GeneratedRegex(@"(?<![\w@#$/.-])https?://[^\s<>""]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Url();

    // Upstream's mention pattern: @user, optionally @domain, not inside a word or a path.
    [GeneratedRegex(@"(?<=^|[^/\w])@(?<user>[a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)(?:@[\w.-]+\w+)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Mention();
}
