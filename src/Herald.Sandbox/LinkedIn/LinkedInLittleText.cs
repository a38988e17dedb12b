using System.Text;

namespace Herald.Sandbox.LinkedIn;

/// <summary>
/// Reads a <c>commentary</c> the way LinkedIn's little text format does (docs/platforms.md, LinkedIn): <c>\x</c> is a
/// literal x, <c>{hashtag|\#|tag}</c> a hashtag, <c>@[Name](urn:li:…)</c> a mention. Any other reserved
/// character that is not escaped ends the text there: LinkedIn keeps the post and silently drops the rest.
/// </summary>
internal static class LinkedInLittleText
{
    private const string Reserved = "\\|{}@[]()<>#*_~";

    /// <summary>The text readers see, and whether an unescaped reserved character cut it short.</summary>
    public static (string Text, bool Truncated) Parse(string commentary)
    {
        var text = new StringBuilder(commentary.Length);
        var i = 0;
        while (i < commentary.Length)
        {
            var c = commentary[i];
            if (c == '\\' && i + 1 < commentary.Length && Reserved.Contains(commentary[i + 1], StringComparison.Ordinal))
            {
                text.Append(commentary[i + 1]);
                i += 2;
            }
            else if (c == '{' && TryHashtag(commentary, i, out var tag, out var end))
            {
                text.Append('#').Append(tag);
                i = end;
            }
            else if (c == '@' && TryMention(commentary, i, out var name, out var mentionEnd))
            {
                text.Append(name);
                i = mentionEnd;
            }
            else if (Reserved.Contains(c, StringComparison.Ordinal))
            {
                return (text.ToString(), true);
            }
            else
            {
                text.Append(c);
                i++;
            }
        }

        return (text.ToString(), false);
    }

    /// <summary><c>{hashtag|\#|tag}</c> or <c>{hashtag|＃|tag}</c>.</summary>
    private static bool TryHashtag(string s, int start, out string tag, out int end)
    {
        tag = "";
        end = start;
        foreach (var prefix in new[] { "{hashtag|\\#|", "{hashtag|＃|" })
        {
            if (string.CompareOrdinal(s, start, prefix, 0, prefix.Length) != 0)
            {
                continue;
            }

            var close = s.IndexOf('}', start + prefix.Length);
            if (close < 0)
            {
                return false;
            }

            tag = s[(start + prefix.Length)..close];
            end = close + 1;
            return tag.Length > 0 && tag.All(char.IsLetterOrDigit);
        }

        return false;
    }

    /// <summary><c>@[Name](urn:li:person:…)</c> or <c>@[Name](urn:li:organization:…)</c>.</summary>
    private static bool TryMention(string s, int start, out string name, out int end)
    {
        name = "";
        end = start;
        if (start + 1 >= s.Length || s[start + 1] != '[')
        {
            return false;
        }

        var closeName = s.IndexOf("](", start + 2, StringComparison.Ordinal);
        var closeUrn = closeName < 0 ? -1 : s.IndexOf(')', closeName + 2);
        if (closeUrn < 0)
        {
            return false;
        }

        var urn = s[(closeName + 2)..closeUrn];
        if (!urn.StartsWith("urn:li:person:", StringComparison.Ordinal) && !urn.StartsWith("urn:li:organization:", StringComparison.Ordinal))
        {
            return false;
        }

        name = s[(start + 2)..closeName];
        end = closeUrn + 1;
        return name.Length > 0;
    }
}
