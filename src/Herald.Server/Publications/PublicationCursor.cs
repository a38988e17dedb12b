using System.Buffers.Text;
using System.Text.Json;

namespace Herald.Server.Publications;

/// <summary>
/// A keyset position over publications ordered by a time: the time of the last row given out and the ids already
/// given out at exactly that time (a post's publications share one creation time). The list pages newest first by
/// creation time — the next page holds rows created earlier, or at that time and not yet returned, so a row added
/// while a client pages is never returned twice and never makes another row skip; the event stream walks forwards by
/// update time the same way.
/// </summary>
internal sealed record PublicationCursor(DateTimeOffset At, IReadOnlyList<Guid> Seen)
{
    private sealed record Wire(long T, Guid[] S);

    public string Encode() =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Wire(At.UtcTicks, [.. Seen])));

    public static bool TryDecode(string text, out PublicationCursor? cursor)
    {
        cursor = null;
        try
        {
            var wire = JsonSerializer.Deserialize<Wire>(Base64Url.DecodeFromChars(text));
            if (wire?.S is null || wire.T is < 0 || wire.T > DateTimeOffset.MaxValue.UtcTicks)
            {
                return false;
            }

            cursor = new PublicationCursor(new DateTimeOffset(wire.T, TimeSpan.Zero), wire.S);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return false;
        }
    }
}
