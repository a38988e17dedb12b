using System.Text.Json;
using System.Text.RegularExpressions;

namespace Herald.Sandbox.Bluesky;

/// <summary>
/// The simulated PDS's checks of an <c>app.bsky.feed.post</c> record's references and embeds, as the lexicon
/// defines them (docs/platforms.md, Bluesky, "Post record schema"): a strongRef is an <c>at-uri</c> and a CID in
/// CID syntax; an embed is one of the <c>app.bsky.embed.*</c> shapes (unknown types pass, the union being open).
/// Messages name the field as the lexicon validator does (<c>Record/reply/root/cid</c>).
/// </summary>
internal static partial class BlueskyRecordShapes
{
    private const int MaxImages = 4;
    private const int MaxImageBytes = 1_000_000;
    private const int MaxVideoBytes = 100_000_000;

    /// <summary>Why the record's <c>reply</c> is malformed; null when it is absent or well formed.</summary>
    public static string? ValidateReply(JsonElement record)
    {
        if (!record.TryGetProperty("reply", out var reply))
        {
            return null;
        }

        if (reply.ValueKind != JsonValueKind.Object)
        {
            return "Record/reply must be an object";
        }

        return StrongRef(reply, "root", "Record/reply") ?? StrongRef(reply, "parent", "Record/reply");
    }

    /// <summary>Why the record's <c>embed</c> is malformed; null when it is absent or well formed.</summary>
    public static string? ValidateEmbed(JsonElement record) =>
        record.TryGetProperty("embed", out var embed) ? Embed(embed, "Record/embed", allowRecord: true) : null;

    /// <summary>
    /// A CID as the lexicon's <c>cid</c> format reads one: CIDv0 (<c>Qm…</c>, base58) or a CIDv1 in multibase base32
    /// (<c>b…</c>, lower case): version 1, a codec, then a multihash whose digest has exactly the length it declares.
    /// </summary>
    public static bool IsCid(string value)
    {
        if (CidV0().IsMatch(value))
        {
            return true;
        }

        if (value.Length < 2 || value[0] != 'b' || Base32Decode(value.AsSpan(1)) is not { } bytes)
        {
            return false;
        }

        var position = 0;
        return ReadVarint(bytes, ref position) == 1 &&
               ReadVarint(bytes, ref position) is not null &&
               ReadVarint(bytes, ref position) is not null &&
               ReadVarint(bytes, ref position) is { } length &&
               position + length == bytes.Length;
    }

    private static string? Embed(JsonElement embed, string path, bool allowRecord)
    {
        if (embed.ValueKind != JsonValueKind.Object || Text(embed, "$type") is not { } type)
        {
            return $"{path} must be an object with a $type";
        }

        return type switch
        {
            "app.bsky.embed.images" => Images(embed, path),
            "app.bsky.embed.external" => External(embed, path),
            "app.bsky.embed.video" => Blob(embed, "video", $"{path}/video", "video/mp4", MaxVideoBytes),
            "app.bsky.embed.record" when allowRecord => StrongRef(embed, "record", path),
            "app.bsky.embed.recordWithMedia" when allowRecord => RecordWithMedia(embed, path),
            "app.bsky.embed.record" or "app.bsky.embed.recordWithMedia" => $"{path} must be images, video or external, not {type}",
            _ => null,
        };
    }

    private static string? Images(JsonElement embed, string path)
    {
        if (!embed.TryGetProperty("images", out var images) || images.ValueKind != JsonValueKind.Array ||
            images.GetArrayLength() is 0 or > MaxImages)
        {
            return $"{path}/images must be an array of 1 to {MaxImages} images";
        }

        var index = 0;
        foreach (var image in images.EnumerateArray())
        {
            var imagePath = $"{path}/images/{index++}";
            if (image.ValueKind != JsonValueKind.Object || Text(image, "alt") is null)
            {
                return $"{imagePath} must be an object with the string property \"alt\"";
            }

            if (Blob(image, "image", $"{imagePath}/image", "image/", MaxImageBytes) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? External(JsonElement embed, string path)
    {
        if (!embed.TryGetProperty("external", out var external) || external.ValueKind != JsonValueKind.Object)
        {
            return $"{path}/external must be an object";
        }

        if (Text(external, "uri") is not { } uri || !BlueskyRichText.IsLexiconUri(uri))
        {
            return $"{path}/external/uri must be a uri";
        }

        if (Text(external, "title") is null || Text(external, "description") is null)
        {
            return $"{path}/external must have the string properties \"title\" and \"description\"";
        }

        return external.TryGetProperty("thumb", out _) ? Blob(external, "thumb", $"{path}/external/thumb", "image/", MaxImageBytes) : null;
    }

    private static string? RecordWithMedia(JsonElement embed, string path)
    {
        if (!embed.TryGetProperty("record", out var record) || record.ValueKind != JsonValueKind.Object)
        {
            return $"{path}/record must be an app.bsky.embed.record object";
        }

        return StrongRef(record, "record", $"{path}/record") ??
               (embed.TryGetProperty("media", out var media) ? Embed(media, $"{path}/media", allowRecord: false) : $"{path} must have the property \"media\"");
    }

    /// <summary>A blob reference: <c>{"$type":"blob","ref":{"$link":cid},"mimeType":…,"size":…}</c>.</summary>
    private static string? Blob(JsonElement parent, string name, string path, string mimeTypePrefix, long maxSize)
    {
        if (!parent.TryGetProperty(name, out var blob) || blob.ValueKind != JsonValueKind.Object || Text(blob, "$type") != "blob" ||
            !blob.TryGetProperty("ref", out var reference) || reference.ValueKind != JsonValueKind.Object ||
            Text(reference, "$link") is not { } link || Text(blob, "mimeType") is not { } mimeType ||
            !blob.TryGetProperty("size", out var sizeElement) || !sizeElement.TryGetInt64(out var size))
        {
            return $"{path} must be a blob ($type \"blob\", ref.$link, mimeType, size)";
        }

        if (!IsCid(link))
        {
            return $"{path}/ref must be a cid";
        }

        if (!mimeType.StartsWith(mimeTypePrefix, StringComparison.Ordinal))
        {
            return $"{path} mimeType must be {mimeTypePrefix}{(mimeTypePrefix.EndsWith('/') ? "*" : "")}, not {mimeType}";
        }

        return size is < 0 || size > maxSize ? $"{path} is too big ({size} bytes; at most {maxSize})" : null;
    }

    /// <summary><c>com.atproto.repo.strongRef</c>: an <c>at-uri</c> and a <c>cid</c>.</summary>
    private static string? StrongRef(JsonElement parent, string name, string parentPath)
    {
        var path = $"{parentPath}/{name}";
        if (!parent.TryGetProperty(name, out var reference) || reference.ValueKind != JsonValueKind.Object)
        {
            return $"{parentPath} must have the property \"{name}\" (a strongRef with uri and cid)";
        }

        if (Text(reference, "uri") is not { } uri || !AtUri().IsMatch(uri))
        {
            return $"{path}/uri must be a valid at-uri";
        }

        return Text(reference, "cid") is { } cid && IsCid(cid) ? null : $"{path}/cid must be a cid string";
    }

    /// <summary>RFC 4648 base32, lower case, no padding; null on any other character or stray bits.</summary>
    private static byte[]? Base32Decode(ReadOnlySpan<char> text)
    {
        var bytes = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            var value = c is >= 'a' and <= 'z' ? c - 'a' : c is >= '2' and <= '7' ? c - '2' + 26 : -1;
            if (value < 0)
            {
                return null;
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
                buffer &= (1 << bits) - 1;
            }
        }

        return bits >= 5 || buffer != 0 ? null : bytes.ToArray();
    }

    /// <summary>An unsigned LEB128 varint of at most 9 bytes, as multiformats reads them; null when cut short.</summary>
    private static long? ReadVarint(byte[] bytes, ref int position)
    {
        long value = 0;
        for (var shift = 0; shift < 63 && position < bytes.Length; shift += 7)
        {
            var b = bytes[position++];
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex("^Qm[1-9A-HJ-NP-Za-km-z]{44}$", RegexOptions.CultureInvariant)]
    private static partial Regex CidV0();

    [GeneratedRegex(@"^at://[a-zA-Z0-9._:%-]+(/[a-zA-Z0-9.-]+(/[a-zA-Z0-9._~:@!$&'()*+,;=-]+)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex AtUri();
}
