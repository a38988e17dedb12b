using System.Text;

namespace Herald.Engine;

/// <summary>
/// Makes an error message safe to store and show: every credential value is masked, stack-trace lines
/// are dropped, and the text is kept to one short paragraph.
/// </summary>
public static class ErrorSanitizer
{
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

        var result = kept.ToString();
        return result.Length <= MaxLength ? result : string.Concat(result.AsSpan(0, MaxLength - 1), "…");
    }
}
