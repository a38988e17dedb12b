using Herald.Accounts;
using Herald.Contents;
using Herald.Formatting;
using Herald.Formatting.Text;

namespace Herald.Platforms.LinkedIn;

/// <summary>The pieces of a LinkedIn post, before they are joined as a draft or as API commentary.</summary>
/// <param name="Hook">The first line, such as <c>🚀 {title}</c>; null for a short post.</param>
/// <param name="Body">The content as plain text; the only piece that is shortened to fit.</param>
/// <param name="Link">"Read the full article: {canonical URL}", when there is one.</param>
/// <param name="CallToAction">The closing question; null when none applies.</param>
/// <param name="Hashtags">Lower-case letters and digits, at most seven, without the <c>#</c>.</param>
internal sealed record LinkedInPostParts(string? Hook, string Body, string? Link, string? CallToAction, IReadOnlyList<string> Hashtags);

/// <summary>
/// Writes a content as a LinkedIn post (docs/architecture.md, "Content adaptation"): a hook line, the body as plain
/// text (headings as lines, lists as bullets, links as <c>text (url)</c>), the link to the original, a call
/// to action and hashtags, separated by blank lines. When the whole is longer than 3,000 characters
/// (Unicode code points) only the body is shortened, at the last sentence that fits, so the link, the call
/// to action and the hashtags always survive.
/// </summary>
/// <remarks>
/// Account settings and <c>linkedin</c> content overrides: <c>hook</c> (a template where <c>{title}</c> is
/// the title; default <c>🚀 {title}</c>), <c>cta</c> (default for articles: <see cref="DefaultCallToAction"/>;
/// short posts get one only when it is set), and, as overrides, <c>title</c> and <c>tags</c> (comma-separated).
/// </remarks>
internal static class LinkedInPostText
{
    public const int MaxLength = 3000;
    public const int MaxHashtags = 7;
    public const string DefaultHook = "🚀 {title}";
    public const string DefaultCallToAction = "What's your experience with similar challenges? Share your thoughts! 💭";

    private const string Separator = "\n\n";
    private const string Ellipsis = "…";
    private const string LinkLabel = "Read the full article: ";

    public static LinkedInPostParts Compose(Content content, Account account)
    {
        const string platform = LinkedInAdapter.PlatformId;
        var isArticle = content.Type == ContentType.Article;
        var title = (content.OverrideFor(platform, "title") ?? content.Title).Trim();
        var hookTemplate = content.OverrideFor(platform, "hook") ?? account.Setting("hook") ?? DefaultHook;
        var hook = isArticle && title.Length > 0 ? hookTemplate.Replace("{title}", title, StringComparison.Ordinal).Trim() : null;
        var cta = content.OverrideFor(platform, "cta") ?? account.Setting("cta") ?? (isArticle ? DefaultCallToAction : null);

        var canonical = content.CanonicalUrl is { IsAbsoluteUri: true } url ? url : null;
        var tags = content.OverrideFor(platform, "tags") is { } overridden
            ? overridden.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : content.Tags;
        return new LinkedInPostParts(
            Hook: string.IsNullOrWhiteSpace(hook) ? null : hook,
            Body: MarkdownPlainText.Render(content.Body, canonical),
            Link: canonical is null ? null : LinkLabel + canonical.AbsoluteUri,
            CallToAction: string.IsNullOrWhiteSpace(cta) ? null : cta.Trim(),
            Hashtags: Hashtags(tags));
    }

    /// <summary>Tags as LinkedIn hashtags: letters and digits only, lower-case, no repeats, at most seven.</summary>
    public static IReadOnlyList<string> Hashtags(IEnumerable<string> tags) =>
        tags.Select(t => string.Concat(t.Where(char.IsLetterOrDigit)).ToLowerInvariant())
            .Where(t => t.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Take(MaxHashtags)
            .ToList();

    /// <summary>Characters as LinkedIn counts them here: Unicode code points, so a surrogate pair is one.</summary>
    public static int Length(string text) => text.EnumerateRunes().Count();

    /// <summary>How many characters everything but the body takes, separators included.</summary>
    public static int FixedLength(LinkedInPostParts parts) => Length(Join(parts with { Body = "" }, HashtagLine(parts)));

    /// <summary>The parts with the body shortened so that the whole fits in <see cref="MaxLength"/>.</summary>
    public static LinkedInPostParts Fit(LinkedInPostParts parts)
    {
        var whole = Length(Join(parts, HashtagLine(parts)));
        if (whole <= MaxLength || parts.Body.Length == 0)
        {
            return parts;
        }

        var others = FixedLength(parts);
        var budget = MaxLength - others - (others > 0 ? Separator.Length : 0);
        return parts with { Body = budget <= Ellipsis.Length ? "" : Shorten(parts.Body, budget) };
    }

    /// <summary>The ready-to-paste draft: plain text, hashtags as <c>#tag</c>.</summary>
    public static string Draft(LinkedInPostParts parts) => Join(parts, HashtagLine(parts));

    /// <summary>The API commentary: the same text with every reserved character escaped and hashtags as templates.</summary>
    public static string Commentary(LinkedInPostParts parts)
    {
        var escaped = new LinkedInPostParts(
            parts.Hook is null ? null : LinkedInEscaping.Escape(parts.Hook),
            LinkedInEscaping.Escape(parts.Body),
            parts.Link is null ? null : LinkedInEscaping.Escape(parts.Link),
            parts.CallToAction is null ? null : LinkedInEscaping.Escape(parts.CallToAction),
            parts.Hashtags);
        return Join(escaped, string.Join(' ', parts.Hashtags.Select(LinkedInEscaping.Hashtag)));
    }

    /// <summary>
    /// The longest start of <paramref name="body"/> within <paramref name="budget"/> code points that ends at a
    /// sentence (or line) end. When no sentence end keeps at least half the budget, the cut falls between words
    /// and an ellipsis marks it; a single endless word is cut between grapheme clusters. Never splits a
    /// surrogate pair or an emoji sequence.
    /// </summary>
    public static string Shorten(string body, int budget)
    {
        var limit = IndexAfterCodePoints(body, budget);
        var sentenceEnd = LastSentenceEnd(body, limit);
        if (sentenceEnd > 0 && Length(body[..sentenceEnd]) >= budget / 2)
        {
            return body[..sentenceEnd].TrimEnd();
        }

        // Room for the ellipsis.
        limit = IndexAfterCodePoints(body, budget - Ellipsis.Length);
        var space = body.LastIndexOfAny([' ', '\n', '\t'], Math.Max(0, limit - 1), limit);
        if (limit < body.Length && char.IsWhiteSpace(body[limit]))
        {
            space = limit;
        }

        var cut = space > 0 ? space : LastGraphemeBoundary(body, limit);
        return body[..cut].TrimEnd() + Ellipsis;
    }

    private static string Join(LinkedInPostParts parts, string hashtagLine) =>
        string.Join(Separator, new[] { parts.Hook, parts.Body, parts.Link, parts.CallToAction, hashtagLine }
            .Where(s => !string.IsNullOrEmpty(s)));

    private static string HashtagLine(LinkedInPostParts parts) => string.Join(' ', parts.Hashtags.Select(t => "#" + t));

    /// <summary>The char index just after the first <paramref name="codePoints"/> code points (or the end).</summary>
    private static int IndexAfterCodePoints(string text, int codePoints)
    {
        var index = 0;
        for (var seen = 0; seen < codePoints && index < text.Length; seen++)
        {
            index += char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
        }

        return index;
    }

    /// <summary>The end (exclusive) of the last sentence or line that ends at or before <paramref name="limit"/>; 0 when none.</summary>
    private static int LastSentenceEnd(string text, int limit)
    {
        for (var i = Math.Min(limit, text.Length) - 1; i > 0; i--)
        {
            var next = i + 1 < text.Length ? text[i + 1] : '\n';
            if (text[i] == '\n')
            {
                return i;
            }

            // ".", "!", "?" or "…", possibly closed by a quote or bracket, then whitespace or the end.
            if (text[i] is '.' or '!' or '?' or '…' && char.IsWhiteSpace(next))
            {
                return i + 1;
            }

            if (text[i] is '"' or '\'' or ')' or '”' or '’' && text[i - 1] is '.' or '!' or '?' && char.IsWhiteSpace(next))
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>The last grapheme-cluster boundary (Unicode 17's rules, docs/counting.md) at or before <paramref name="limit"/>.</summary>
    private static int LastGraphemeBoundary(string text, int limit)
    {
        var boundary = 0;
        while (boundary < text.Length)
        {
            var end = boundary + Graphemes.NextLength(text.AsSpan(boundary));
            if (end > limit)
            {
                break;
            }

            boundary = end;
        }

        return boundary;
    }
}
