using System.Text;

namespace Herald.Platforms.LinkedIn;

/// <summary>
/// LinkedIn's little text format (docs/platforms.md, LinkedIn, "Commentary escaping"). Every reserved character must
/// be escaped with a backslash to be plain text: an unescaped one such as the <c>(</c> of "1)" makes
/// LinkedIn silently cut the post there, while the call still answers 201.
/// </summary>
internal static class LinkedInEscaping
{
    /// <summary><c>\ | { } @ [ ] ( ) &lt; &gt; # * _ ~</c></summary>
    public const string Reserved = "\\|{}@[]()<>#*_~";

    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (Reserved.Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>A clickable hashtag: <c>{hashtag|\#|tag}</c>. Tags are letters and digits only, so nothing inside needs escaping.</summary>
    public static string Hashtag(string tag) => $"{{hashtag|\\#|{tag}}}";
}
