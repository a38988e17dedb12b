using System.Text;
using Herald.Formatting.Text;

namespace Herald.Engine;

/// <summary>
/// Makes an error message safe to store and show: every credential value is masked, stack-trace lines
/// are dropped, the text is kept to one short paragraph, and it is always valid Unicode without NUL, so any
/// database stores it.
/// </summary>
public static class ErrorSanitizer
{
    /// <summary>The longest text returned, in UTF-16 chars; a longer one is cut at a grapheme and ends with "…".</summary>
    public const int MaxLength = 500;
    private const string Mask = "***";

    public static string Sanitize(string? message, IEnumerable<string>? secrets = null)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return "";
        }

        var text = message;
        foreach (var secret in (secrets ?? []).Where(s => s.Length >= 4).OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        var kept = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith("at ", StringComparison.Ordinal) ||
                trimmed.StartsWith("--- End of", StringComparison.Ordinal))
            {
                continue;
            }

            if (kept.Length > 0)
            {
                kept.Append(' ');
            }

            kept.Append(trimmed);
        }

        var result = ToValidText(kept.ToString());
        return result.Length <= MaxLength ? result : string.Concat(result.AsSpan(0, CutBefore(result, MaxLength - 1)), "…");
    }

    /// <summary>
    /// Where to cut <paramref name="text"/> to keep at most <paramref name="max"/> chars: at the end of the last whole
    /// grapheme (an emoji, a flag, a letter with its accents) that fits, so the cut never splits a surrogate pair —
    /// PostgreSQL refuses a lone surrogate and the outcome row with it.
    /// </summary>
    private static int CutBefore(string text, int max)
    {
        var cut = 0;
        while (cut < text.Length)
        {
            var next = cut + Graphemes.NextLength(text.AsSpan(cut));
            if (next > max)
            {
                break;
            }

            cut = next;
        }

        // One grapheme longer than the whole message (a letter with hundreds of marks): cut between code points.
        if (cut == 0)
        {
            cut = max;
            if (char.IsHighSurrogate(text[cut - 1]))
            {
                cut--;
            }
        }

        return cut;
    }

    /// <summary>
    /// <paramref name="text"/> with every lone surrogate and NUL replaced by U+FFFD: a platform's message or an
    /// exception can hold either, and neither PostgreSQL's text nor a UTF-8 encoder takes them.
    /// </summary>
    private static string ToValidText(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') && !text.Contains('\0', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        Span<char> buffer = stackalloc char[2];
        foreach (var rune in text.EnumerateRunes())
        {
            // EnumerateRunes yields U+FFFD for a lone surrogate already.
            var valid = rune.Value == 0 ? Rune.ReplacementChar : rune;
            builder.Append(buffer[..valid.EncodeToUtf16(buffer)]);
        }

        return builder.ToString();
    }
}
