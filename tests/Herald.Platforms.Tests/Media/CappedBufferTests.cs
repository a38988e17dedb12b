using Herald.Platforms.Media;

namespace Herald.Platforms.Tests.Media;

public sealed class CappedBufferTests
{
    private static byte[] Bytes(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_536)] // exactly one chunk
    [InlineData(200_001)] // several chunks, the last one partly used
    public void Writes_UpToTheLimit_AreKeptInOrder(int length)
    {
        var source = Bytes(length);
        using var buffer = new CappedBuffer(maxBytes: length);

        // Pieces of uneven sizes, so writes straddle chunk boundaries.
        for (int offset = 0, piece = 1; offset < length; offset += piece, piece = piece * 3 % 50_000 + 1)
        {
            buffer.Write(source, offset, Math.Min(piece, length - offset));
        }

        Assert.Equal(source, buffer.ToArray());
        Assert.Equal(length, buffer.Length);
    }

    [Fact]
    public void Writes_PastTheLimit_AreCountedNotKept()
    {
        using var buffer = new CappedBuffer(maxBytes: 100_000);

        buffer.Write(Bytes(99_999));
        buffer.WriteByte(1);
        buffer.Write(Bytes(10));
        buffer.Write(Bytes(70_000));

        Assert.Null(buffer.ToArray());
        Assert.Equal(170_010, buffer.Length);
    }
}
