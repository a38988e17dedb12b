using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Herald.Formatting.Text;

namespace Herald.Sandbox.Bluesky;

/// <summary>
/// The simulated PDS's own checks of an <c>app.bsky.feed.post</c> record, written from docs/platforms.md, Bluesky
/// ("Post record schema") and sharing nothing with Herald's adapter: the text limits (300 graphemes, 3,000
/// UTF-8 bytes), reply and embed shapes (<see cref="BlueskyRecordShapes"/>) and facets. Graphemes are counted by
/// current Unicode rules, as a PDS does with <c>Intl.Segmenter</c> (Herald.Core's UAX #29 segmentation, which the
/// conformance fixture holds to the reference). Stricter than Bluesky on one point, to catch offset bugs: a facet must cover
/// exactly the text it claims (the link's URL, <c>@handle</c> of the mentioned DID, <c>#tag</c>).
/// </summary>
internal static partial class BlueskyRichText
{
    private const int MaxGraphemes = 300;
    private const int MaxBytes = 3000;
    private const int MaxTagGraphemes = 64;
    private const int MaxTagBytes = 640;

    /// <summary>Why the record is invalid, in the lexicon validator's words; null when it is valid.</summary>
    /// <param name="record">The <c>record</c> object.</param>
    /// <param name="handleOf">The handle of a DID the sandbox knows, else null.</param>
    public static string? Validate(JsonElement record, Func<string, string?> handleOf)
    {
        if (!record.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String)
        {
            return "Record must have the property \"text\"";
        }

        var text = textElement.GetString()!;
        if (Graphemes.Count(text) > MaxGraphemes)
        {
            return $"Record/text must not be longer than {MaxGraphemes} graphemes";
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > MaxBytes)
        {
            return $"Record/text must not be longer than {MaxBytes} characters";
        }

        if (!record.TryGetProperty("createdAt", out var createdAt) || createdAt.ValueKind != JsonValueKind.String)
        {
            return "Record must have the property \"createdAt\"";
        }

        if (!IsDatetime(createdAt.GetString()!))
        {
            return "Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)";
        }

        if (record.TryGetProperty("langs", out var langs) &&
            (langs.ValueKind != JsonValueKind.Array || langs.GetArrayLength() > 3 || langs.EnumerateArray().Any(l => l.ValueKind != JsonValueKind.String)))
        {
            return "Record/langs must be an array of at most 3 language tags";
        }

        if ((BlueskyRecordShapes.ValidateReply(record) ?? BlueskyRecordShapes.ValidateEmbed(record)) is { } shape)
        {
            return shape;
        }

        return record.TryGetProperty("facets", out var facets) ? ValidateFacets(facets, bytes, handleOf) : null;
    }

    private static string? ValidateFacets(JsonElement facets, byte[] text, Func<string, string?> handleOf)
    {
        if (facets.ValueKind != JsonValueKind.Array)
        {
            return "Record/facets must be an array";
        }

        var index = 0;
        foreach (var facet in facets.EnumerateArray())
        {
            var path = $"Record/facets/{index++}";
            if (!facet.TryGetProperty("index", out var slice) ||
                !slice.TryGetProperty("byteStart", out var startElement) || !startElement.TryGetInt32(out var start) ||
                !slice.TryGetProperty("byteEnd", out var endElement) || !endElement.TryGetInt32(out var end))
            {
                return $"{path}/index must have integer byteStart and byteEnd";
            }

            if (start < 0 || end <= start || end > text.Length)
            {
                return $"{path}/index [{start}, {end}) is not a byte range inside the {text.Length}-byte text";
            }

            if (IsContinuationByte(text, start) || IsContinuationByte(text, end))
            {
                return $"{path}/index [{start}, {end}) cuts through a UTF-8 character";
            }

            var covered = Encoding.UTF8.GetString(text, start, end - start);
            if (!facet.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array || features.GetArrayLength() == 0)
            {
                return $"{path}/features must be a non-empty array";
            }

            foreach (var feature in features.EnumerateArray())
            {
                if (ValidateFeature(feature, covered, handleOf) is { } problem)
                {
                    return $"{path}/features: {problem}";
                }
            }
        }

        return null;
    }

    private static string? ValidateFeature(JsonElement feature, string covered, Func<string, string?> handleOf)
    {
        var type = feature.TryGetProperty("$type", out var t) ? t.GetString() : null;
        switch (type)
        {
            case "app.bsky.richtext.facet#link":
                var uri = Text(feature, "uri");
                if (uri is null || !IsLexiconUri(uri))
                {
                    return "a link needs a uri (the lexicon's uri format)";
                }

                return uri == covered || uri == "https://" + covered || uri == "http://" + covered
                    ? null
                    : $"the link covers \"{covered}\", which is not its uri {uri}";
            case "app.bsky.richtext.facet#mention":
                var did = Text(feature, "did");
                if (did is null || !Did().IsMatch(did))
                {
                    return "a mention needs a did";
                }

                var handle = handleOf(did);
                return handle is null
                    ? covered.StartsWith('@') ? null : $"the mention covers \"{covered}\", which does not start with @"
                    : string.Equals(covered, "@" + handle, StringComparison.OrdinalIgnoreCase)
                        ? null
                        : $"the mention of {did} covers \"{covered}\", not @{handle}";
            case "app.bsky.richtext.facet#tag":
                var tag = Text(feature, "tag");
                if (string.IsNullOrEmpty(tag) || Graphemes.Count(tag) > MaxTagGraphemes || Encoding.UTF8.GetByteCount(tag) > MaxTagBytes)
                {
                    return "a tag needs 1 to 64 graphemes";
                }

                // A cashtag is a tag "$AAPL" covering "$aapl" or "$AAPL" (the app keeps it in upper case).
                return covered == "#" + tag || covered == "＃" + tag || (tag.StartsWith('$') && string.Equals(covered, tag, StringComparison.OrdinalIgnoreCase))
                    ? null
                    : $"the tag covers \"{covered}\", not #{tag}";
            default:
                return $"unknown feature type {type}";
        }
    }

    /// <summary>
    /// The lexicon's <c>uri</c> format as @atproto/lexicon checks it: a scheme, a colon, optionally <c>//</c>, then no
    /// whitespace (JavaScript's <c>\s</c>) and no leading slash. Looser than .NET's <see cref="Uri"/>, which refuses
    /// links the app makes, such as <c>https://example.xyz)https://example.com</c>.
    /// </summary>
    public static bool IsLexiconUri(string value) => LexiconUri().IsMatch(value);

    /// <summary>RFC 3339 with a time zone (the lexicon's <c>datetime</c>).</summary>
    private static bool IsDatetime(string value) =>
        Datetime().IsMatch(value) &&
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static bool IsContinuationByte(byte[] text, int index) => index < text.Length && (text[index] & 0xC0) == 0x80;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Datetime();

    [GeneratedRegex(@"^[A-Za-z0-9_]+:(//)?[^\t\n\v\f\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF/][^\t\n\v\f\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex LexiconUri();

    [GeneratedRegex(@"^did:[a-z]+:[a-zA-Z0-9._:%-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Did();
}
