using System.Text;
using CsCheck;
using Herald.Accounts;
using Herald.Contents;

namespace Herald.Platforms.Tests.Fuzz;

/// <summary>
/// Generators of Markdown files and contents, benign and hostile: every script and emoji shape the counters
/// care about, links, mentions and hashtags, Markdown syntax, invalid UTF-16 (lone surrogates), NUL and other
/// control characters, invalid UTF-8, sizes just under and over the limit, and YAML front matter with wrong
/// types, duplicate keys, deep nesting and alias bombs.
/// </summary>
internal static class FuzzGen
{
    /// <summary>Pieces of text, weighted toward what breaks counters and splitters.</summary>
    private static readonly Gen<string> Piece = Gen.Frequency(
        (20, Gen.OneOf("word", "Herald", "text", "a", "thread", "the", "platform", "ends.", "clause,", "really?", "wow!", "…")),
        (6, Gen.OneOf(" ", " ", "  ", "\n", "\n\n", "\r\n", "\t", "\u00A0", "\u2028", "\u3000", " \n \n ")),
        (4, Gen.OneOf("https://example.com", "https://example.com/a/very/long/path?with=query&and=more#fragment", "example.org",
            "http://localhost:8080/x", "https://xn--bcher-kva.example/ü", "www.example.co.uk/path", "https://t.co/abc", "ftp://x.y")),
        (3, Gen.OneOf("@alice", "@alice@example.social", "@bob.bsky.social", "#dotnet", "#日本語", "#123", "#a_b", "@", "#", "$CASH")),
        (4, Gen.OneOf("👋", "🎉", "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466", "🇩🇪", "👍🏽", "1️⃣", "🏳️‍🌈", "\u200D", "\uFE0F")),
        (4, Gen.OneOf("漢字", "日本語の文章。", "中文，标点！", "「引用」", "한국어", "ไทย", "עברית", "العربية", "e\u0301", "Z\u0351\u0352\u0353\u0354")),
        (3, Gen.OneOf("# Heading", "**bold**", "_em_", "`code`", "[link](https://example.com/l)", "![img](https://example.com/i.png)",
            "> quote", "- item", "1. item", "| a | b |\n|---|---|\n| 1 | 2 |", "```\ncode\n```", "<b>html</b>", "---", "[ref]: https://example.com/r",
            "<https://example.com/auto>", "\\*", "[link](relative/path)", "[](https://example.com/empty)")),
        (2, Gen.OneOf("\uD800", "\uDC00", "\uDBFF", "\uDFFF", "\uD83D", "\uDE00x", "x\uD83D")),
        (2, Gen.OneOf("\0", "\u0001", "\u001B[31m", "\u007F", "\uFFFE", "\uFEFF", "\uFFFF", "\uFFFD", "\u202E", "\u200B")),
        (2, Gen.Char.Array[1, 12].Select(chars => new string(chars))),
        (1, Gen.Int[50, 700].Select(n => new string('x', n))),
        (1, Gen.Int[10, 400].Select(n => "https://example.com/" + new string('p', n))));

    private static readonly Gen<string> Body = Gen.Frequency(
        (60, Piece.Array[0, 40].Select(string.Concat)),
        // Rarely a long text: the cost of a case grows with the text, and long ones are covered by their own sizes.
        (1, Piece.Array[1, 12].SelectMany(pieces => Gen.Int[20, 400].Select(repeat => Repeat(string.Concat(pieces), repeat)))));

    private static readonly Gen<string> Scalar = Gen.Frequency(
        (10, Gen.OneOf("Hello", "A title", "dotnet", "https://example.com/c", "true", "post", "article", "en", "", "~", "null")),
        (3, Piece.Array[0, 6].Select(string.Concat).Select(Quote)),
        (2, Gen.OneOf("[a, b]", "{a: b}", "[[1], {x: y}]", "- a\n  - b", "|\n  block\n  text", ">\n  folded", "!!binary aGVsbG8=", "!custom x",
            "*undefined", "&anchor value", "12e400", "0x1F", "2026-13-45", "'''", "\"\\uD83D\"", "\"\\0\"", "\t")));

    private static readonly Gen<string> FrontMatterLine = Gen.Frequency(
        (10, Gen.Select(Gen.OneOf("title", "description", "tags", "canonical_url", "cover_image", "series", "type", "language", "author",
            "thread", "thread_numbering", "unknown_key", "Title", "tags[0]", "? complex"), Scalar, (key, value) => $"{key}: {value}")),
        (3, Gen.Select(Gen.OneOf("x", "bluesky", "mastodon", "threads", "devto", "linkedin", "medium", "nowhere"),
            Gen.OneOf("text", "title", "description", "tags", "thread"), Scalar,
            (platform, key, value) => $"overrides:\n  {platform}:\n    {key}: {value}")),
        (1, Gen.OneOf("overrides: 5", "overrides: [a]", "overrides:\n  x: [1, 2]", "overrides:\n  x:\n    text: {a: 1}", "overrides:\n  ? [a]\n  : b",
            "overrides:\n  x:\n    ? [k]\n    : v", "tags:\n  - [nested]\n  - {a: b}", "title: a\ntitle: b", "tags: a\ntags: [b]")),
        (1, Gen.Int[1, 12].Select(AliasBomb)),
        (1, Gen.Int[10, 2_000].Select(depth => "title: " + new string('[', depth) + new string(']', depth))),
        (1, Gen.Int[10, 500].Select(depth => "overrides:" + string.Concat(Enumerable.Range(1, depth).Select(d => "\n" + new string(' ', d * 2) + "k:")) + " v")),
        (1, Gen.OneOf(": :", "- a\nb: c", "\t- tab", "key: \"unterminated", "{", "%YAML 9.9", "--- !tag", "...", "a: &a [*a]", "<<: *x")));

    private static readonly Gen<string> FrontMatter = Gen.Frequency(
        (6, FrontMatterLine.Array[0, 8].Select(lines => "---\n" + string.Join('\n', lines) + "\n---\n")),
        (1, FrontMatterLine.Array[0, 4].Select(lines => "---\n" + string.Join('\n', lines) + "\n")),
        (1, Gen.OneOf("---\n---\n", "---\r\ntitle: crlf\r\n---\r\n", "\uFEFF---\ntitle: bom\n---\n", "--- \ntitle: x\n---\n", "---\n- a list\n---\n", "---\n5\n---\n")),
        (3, Gen.Const("")));

    /// <summary>A Markdown file as text, possibly invalid UTF-16 and possibly far over the size limit.</summary>
    public static readonly Gen<string> FileText = Gen.Frequency(
        (150, Gen.Select(FrontMatter, Body, (front, body) => front + body)),
        (1, Gen.Select(FrontMatter, Piece, Gen.Int[-64, 64], (front, piece, delta) => NearLimit(front, piece, 8 * 1024 + delta))));

    /// <summary>A Markdown file as bytes: the text as UTF-8, sometimes with raw invalid UTF-8 or binary noise.</summary>
    public static readonly Gen<byte[]> FileBytes = Gen.Frequency(
        (10, FileText.Select(text => Encoding.UTF8.GetBytes(text))),
        (2, Gen.Select(FileText, Gen.OneOf<byte[]>([0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0x00], [0xFE, 0xFF]), Gen.Int[0, 100],
            (text, bad, at) =>
            {
                var bytes = Encoding.UTF8.GetBytes(text).ToList();
                bytes.InsertRange(Math.Min(at, bytes.Count), bad);
                return bytes.ToArray();
            })),
        (1, Gen.Byte.Array[0, 20_000]));

    /// <summary>A content made through the library API: any field may hold anything.</summary>
    public static readonly Gen<Content> LibraryContent = Gen.Select(
        Gen.Bool, Piece.Array[0, 5].Select(string.Concat), Body, Piece.Array[0, 3].Select(string.Concat).Array[0, 5],
        Gen.Bool, Gen.Bool, Gen.OneOf<string?>(null, "x", "bluesky", "mastodon", "threads", "linkedin"), Piece.Array[0, 20].Select(string.Concat),
        (isPost, title, body, tags, thread, numbering, overridePlatform, overrideText) => new Content
        {
            Type = isPost ? ContentType.Post : ContentType.Article,
            Title = title,
            Body = body,
            Tags = tags,
            Description = title.Length % 2 == 0 ? null : title + body[..Math.Min(body.Length, 50)],
            CanonicalUrl = thread ? new Uri("https://example.com/canonical") : null,
            Thread = thread,
            NumberThreadParts = numbering,
            Overrides = overridePlatform is null
                ? new Dictionary<string, IReadOnlyDictionary<string, string>>()
                : new Dictionary<string, IReadOnlyDictionary<string, string>>
                {
                    [overridePlatform] = new Dictionary<string, string> { [thread ? "thread" : "text"] = thread ? "true" : overrideText },
                },
            CreatedAt = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero),
        });

    /// <summary>An account each adapter accepts, so that content rules are what the fuzz reaches.</summary>
    public static Account AccountFor(string platform) => new()
    {
        Platform = platform,
        DisplayName = $"fuzz {platform}",
        Credentials = new AccountCredentials
        {
            ["api_key"] = "fuzz-key",
            ["access_token"] = "fuzz-token",
            ["identifier"] = "fuzz.bsky.social",
            ["app_password"] = "fuzz-pass",
        },
        Settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["mode"] = "manual",
            ["username"] = "fuzz",
        },
    };

    /// <summary>The "billion laughs": each level an alias list of the one before, <paramref name="levels"/> deep.</summary>
    private static string AliasBomb(int levels)
    {
        var yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 1; level < levels; level++)
        {
            yaml.Append($"a{level}: &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 9))}]\n");
        }

        return yaml.Append($"title: *a{levels - 1}").ToString();
    }

    private static string NearLimit(string front, string piece, int bytes)
    {
        var text = new StringBuilder(front);
        var unit = piece.Length == 0 ? "x" : piece;
        var unitBytes = Encoding.UTF8.GetByteCount(unit);
        for (var size = Encoding.UTF8.GetByteCount(front); size + unitBytes <= bytes; size += unitBytes)
        {
            text.Append(unit);
        }

        return text.ToString();
    }

    private static string Repeat(string text, int times) => new StringBuilder(text.Length * times).Insert(0, text, times).ToString();

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
