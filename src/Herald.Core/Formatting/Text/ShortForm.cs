using Herald.Contents;

namespace Herald.Formatting.Text;

/// <summary>What a short-form platform publishes for one content.</summary>
public enum ShortFormKind
{
    /// <summary>A short post that fits one post: its text, as written.</summary>
    Post = 0,

    /// <summary>An article as one post: title, description, link to the original, hashtags.</summary>
    Teaser = 1,

    /// <summary>Several posts, each replying to the one before.</summary>
    Thread = 2,
}

/// <summary>The posts to publish, in order, or why the content cannot be published on that platform.</summary>
/// <param name="Kind">Post, teaser or thread.</param>
/// <param name="Parts">The text of each post; empty when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why it cannot be cut to fit (a link longer than a whole post); null on success.</param>
public sealed record ShortFormText(ShortFormKind Kind, IReadOnlyList<string> Parts, string? Error = null)
{
    public bool Succeeded => Error is null;

    /// <summary>Set when the thread would have more parts than allowed: about how many it would have.</summary>
    public int? TooManyParts { get; init; }
}

/// <summary>
/// Writes a content for a short-form platform (X, Threads, Mastodon, Bluesky), within that platform's own
/// count (docs/architecture.md, "Content adaptation"):
/// <list type="bullet">
/// <item>a short post (<c>type: post</c>, or no title) is its text as written; over the limit it becomes a thread;</item>
/// <item>an article becomes a teaser — title, description (else the first paragraph), the canonical link and
///   hashtags — shortened to fit: the description first (at a sentence, else a word, with "…"), then hashtags
///   dropped from the last, then the title;</item>
/// <item>an article with <c>thread: true</c> becomes a thread of its title and text (Markdown as plain text,
///   links as <c>text (url)</c>), ending with the canonical link and the hashtags.</item>
/// </list>
/// Threads are cut by <see cref="ThreadSplitter"/>, numbered <c>1/n</c> unless the content says
/// <c>thread_numbering: false</c>. Per-platform content overrides: <c>text</c> (the whole text, used as a
/// short post), <c>title</c>, <c>description</c>, <c>tags</c> (comma-separated) and <c>thread</c>.
/// </summary>
public static class ShortForm
{
    /// <summary>Hashtags a teaser or thread carries at most, unless the caller asks otherwise.</summary>
    public const int DefaultMaxHashtags = 3;

    private const string Ellipsis = "…";

    /// <param name="content">The content.</param>
    /// <param name="platformId">The platform whose overrides apply, such as <c>x</c>.</param>
    /// <param name="counter">The platform's count, from <see cref="TextCounter"/>.</param>
    /// <param name="maxHashtags">How many tags become hashtags.</param>
    /// <param name="limits">
    /// The configured limits; a thread longer than <see cref="ContentLimits.MaxThreadPartsFor"/> is an error.
    /// The defaults (25 parts) when null.
    /// </param>
    public static ShortFormText Compose(
        Content content, string platformId, ITextCounter counter, int maxHashtags = DefaultMaxHashtags, ContentLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(counter);
        limits ??= new ContentLimits();
        var split = new ThreadSplitOptions { Numbering = content.NumberThreadParts, MaxParts = limits.MaxThreadPartsFor(platformId) };
        var result = Compose(content, platformId, counter, maxHashtags, split);
        // The splitter knows the number; only here is the setting that allows it known.
        return result.TooManyParts is null ? result : result with { Error = $"{result.Error} ({limits.MaxThreadPartsKey(platformId)})" };
    }

    private static ShortFormText Compose(Content content, string platformId, ITextCounter counter, int maxHashtags, ThreadSplitOptions split)
    {
        var hashtags = Hashtags(content, platformId, maxHashtags);

        var text = content.OverrideFor(platformId, "text");
        if (text is not null || content.Type == ContentType.Post)
        {
            return Thread(ShortFormKind.Post, (text ?? content.Body).Trim(), counter, split);
        }

        var title = (content.OverrideFor(platformId, "title") ?? content.Title).Trim();
        var link = content.CanonicalUrl is { IsAbsoluteUri: true } canonical ? canonical.AbsoluteUri : null;
        var wantsThread = content.OverrideFor(platformId, "thread") is { } flag
            ? string.Equals(flag.Trim(), "true", StringComparison.OrdinalIgnoreCase)
            : content.Thread;
        if (wantsThread)
        {
            var body = MarkdownPlainText.Render(content.Body, content.CanonicalUrl is { IsAbsoluteUri: true } ? content.CanonicalUrl : null);
            return Thread(ShortFormKind.Thread, Join(title, body, link, HashtagLine(hashtags)), counter, split);
        }

        var description = content.OverrideFor(platformId, "description") ?? content.Description;
        if (string.IsNullOrWhiteSpace(description))
        {
            description = MarkdownText.FirstParagraph(content.Body);
        }

        return Teaser(title, description.Trim(), link, hashtags, counter);
    }

    /// <summary>Tags as hashtags: letters, digits and underscores, case kept, no repeats (ignoring case).</summary>
    public static IReadOnlyList<string> Hashtags(Content content, string platformId, int max)
    {
        var tags = content.OverrideFor(platformId, "tags") is { } overridden
            ? overridden.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : content.Tags;
        return tags.Select(t => string.Concat(t.Where(c => char.IsLetterOrDigit(c) || c == '_')))
            .Where(t => t.Length > 0 && !t.All(char.IsDigit))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(max)
            .ToList();
    }

    private static ShortFormText Thread(ShortFormKind kind, string text, ITextCounter counter, ThreadSplitOptions options)
    {
        var split = ThreadSplitter.Split(text, counter, options);
        if (!split.Succeeded)
        {
            return new ShortFormText(kind, [], split.Error) { TooManyParts = split.TooManyParts };
        }

        return new ShortFormText(split.Parts.Count > 1 ? ShortFormKind.Thread : kind, split.Parts);
    }

    /// <summary>The teaser, shortened until it fits: description, then hashtags, then title.</summary>
    private static ShortFormText Teaser(string title, string description, string? link, IReadOnlyList<string> hashtags, ITextCounter counter)
    {
        bool Fits(string candidate) => counter.Count(candidate).IsWithinLimit;

        var tags = hashtags.ToList();
        while (true)
        {
            var whole = Join(title, description, link, HashtagLine(tags));
            if (Fits(whole))
            {
                return new ShortFormText(ShortFormKind.Teaser, [whole]);
            }

            // The longest start of the description that fits, cut at a sentence, else at a word.
            var shortened = Shorten(description, d => Fits(Join(title, d, link, HashtagLine(tags))));
            if (shortened is not null)
            {
                return new ShortFormText(ShortFormKind.Teaser, [Join(title, shortened, link, HashtagLine(tags))]);
            }

            if (tags.Count > 0)
            {
                tags.RemoveAt(tags.Count - 1);
                continue;
            }

            var shortTitle = Shorten(title, t => Fits(Join(t, "", link, "")));
            if (shortTitle is not null)
            {
                return new ShortFormText(ShortFormKind.Teaser, [Join(shortTitle, "", link, "")]);
            }

            return new ShortFormText(ShortFormKind.Teaser, [], $"the link alone ({link}) does not fit in one post");
        }
    }

    /// <summary>
    /// The longest non-empty start of <paramref name="text"/> that <paramref name="fits"/>: whole sentences when
    /// any fit, else whole words with an ellipsis; null when not even one word fits.
    /// </summary>
    private static string? Shorten(string text, Func<string, bool> fits)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string? best = null;
        var sentenceFound = false;
        for (var n = 1; n < words.Length; n++)
        {
            var prefix = string.Join(' ', words.Take(n));
            var endsSentence = prefix[^1] is '.' or '!' or '?' or '…';
            if (endsSentence && fits(prefix))
            {
                best = prefix;
                sentenceFound = true;
            }
            else if (!sentenceFound && fits(prefix + Ellipsis))
            {
                best = prefix + Ellipsis;
            }
            else if (!fits(prefix + Ellipsis))
            {
                break;
            }
        }

        return best;
    }

    private static string HashtagLine(IReadOnlyList<string> hashtags) => string.Join(' ', hashtags.Select(t => "#" + t));

    private static string Join(params string?[] sections) =>
        string.Join("\n\n", sections.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()));
}
