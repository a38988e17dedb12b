namespace Herald.Platforms.Media;

/// <summary>
/// A write-only stream that keeps what is written up to a limit, then only counts: an encoder writing an image too
/// large for a platform holds no more memory than the limit, and <see cref="ToArray"/> says it did not fit. Bytes
/// are kept in chunks below the large-object size, so a refused encoding leaves no large array behind for the
/// garbage collector and the buffer never copies itself to grow; the one large array is the fitted image.
/// </summary>
internal sealed class CappedBuffer(long maxBytes) : Stream
{
    private const int ChunkSize = 64 * 1024;

    private List<byte[]>? _chunks = [];
    private int _lastChunkUsed = ChunkSize;
    private long _written;

    /// <summary>The bytes written, or null when they were more than the limit.</summary>
    public byte[]? ToArray()
    {
        if (_chunks is null)
        {
            return null;
        }

        var bytes = new byte[_written];
        var offset = 0;
        foreach (var chunk in _chunks)
        {
            var length = (int)Math.Min(chunk.Length, _written - offset);
            chunk.AsSpan(0, length).CopyTo(bytes.AsSpan(offset));
            offset += length;
        }

        return bytes;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _written += buffer.Length;
        if (_written > maxBytes)
        {
            _chunks = null; // over the limit: counted from here on, not kept
        }

        while (_chunks is not null && !buffer.IsEmpty)
        {
            if (_lastChunkUsed == ChunkSize)
            {
                _chunks.Add(new byte[ChunkSize]);
                _lastChunkUsed = 0;
            }

            var take = Math.Min(buffer.Length, ChunkSize - _lastChunkUsed);
            buffer[..take].CopyTo(_chunks[^1].AsSpan(_lastChunkUsed));
            _lastChunkUsed += take;
            buffer = buffer[take..];
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
