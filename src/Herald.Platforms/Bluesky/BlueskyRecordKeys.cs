using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Herald.Platforms.Bluesky;

/// <summary>
/// The record key of each post, chosen by Herald: a valid TID (record key type <c>tid</c>, docs/platforms.md, Bluesky)
/// derived from the publication's idempotency key and the part number, so that every try of a publication
/// writes the same keys and a resend can never create a second post.
/// </summary>
/// <remarks>
/// A TID is a 64-bit number — top bit 0, 53 bits of microseconds since the Unix epoch, 10 bits of clock id —
/// written as 13 characters of base32-sortable (<c>234567abcdefghijklmnopqrstuvwxyz</c>), so the first character
/// is one of <c>234567abcdefghij</c>. Herald's timestamp is 2023-01-01 plus 48 bits of SHA-256 of the key
/// (a date within nine years of that), the same for every part; the clock id is the part number, so the parts of
/// one thread sort in order.
/// </remarks>
internal static class BlueskyRecordKeys
{
    public const string Alphabet = "234567abcdefghijklmnopqrstuvwxyz";

    private const long Epoch2023Microseconds = 1_672_531_200L * 1_000_000;
    private const int ClockIdBits = 10;

    /// <summary>The record key of part <paramref name="partNumber"/> (from 1) of the publication keyed <paramref name="publicationKey"/>.</summary>
    public static string For(string publicationKey, int partNumber)
    {
        ArgumentNullException.ThrowIfNull(publicationKey);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partNumber);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes("herald/bluesky/" + publicationKey), hash);
        var offset = (long)(BinaryPrimitives.ReadUInt64BigEndian(hash) >> 16);

        // Parts past 1,024 (a 300,000-character thread) move on to the next microsecond.
        var index = partNumber - 1;
        var timestamp = Epoch2023Microseconds + offset + (index >> ClockIdBits);
        var value = (timestamp << ClockIdBits) | (long)(index & ((1 << ClockIdBits) - 1));
        return Encode(value);
    }

    /// <summary>Whether <paramref name="key"/> is a syntactically valid TID.</summary>
    public static bool IsValid(string key) =>
        key.Length == 13 && Alphabet.AsSpan(0, 16).Contains(key[0]) && key.All(c => Alphabet.Contains(c, StringComparison.Ordinal));

    private static string Encode(long value)
    {
        Span<char> chars = stackalloc char[13];
        for (var i = 12; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }
}
