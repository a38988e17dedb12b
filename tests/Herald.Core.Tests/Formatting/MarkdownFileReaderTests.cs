using System.Text;
using Herald.Contents;
using Herald.Formatting;
using Herald.Validation;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Core.Tests.Formatting;

/// <summary>The reader on real files in a temporary folder; randomness is seeded.</summary>
public sealed class MarkdownFileReaderTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("herald-reader-").FullName;
    private readonly MarkdownFileReader _reader = new(new ContentLimits(), new FakeTimeProvider(Now));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ReadAsync_MarkdownWithFrontMatterAndBom_ReadsItStampedWithTheClock()
    {
        var path = Write("hello.md", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("---\ntitle: Hello 👋\n---\nBody text.\n")]);

        var content = await _reader.ReadAsync(path);

        Assert.Equal("Hello 👋", content.Title);
        Assert.Equal("Body text.", content.Body);
        Assert.Equal(Now, content.CreatedAt);
    }

    // New-user finding: a random 20 kB binary file became a 123-part X thread.
    [Fact]
    public async Task ReadAsync_RandomBinaryFile_IsRefusedAsNotText()
    {
        var bytes = new byte[20_000];
        new Random(7).NextBytes(bytes);
        var path = Write("random.bin", bytes);

        var problem = Assert.Single((await Assert.ThrowsAsync<ContentValidationException>(() => _reader.ReadAsync(path))).Problems);

        Assert.Equal("file", problem.Field);
        Assert.Contains("binary file", problem.Message, StringComparison.Ordinal);
    }

    // New-user finding: a NUL byte silently cut the stored text.
    [Fact]
    public async Task ReadAsync_NulByte_IsRefusedNamingWhere()
    {
        var path = Write("nul.md", Encoding.UTF8.GetBytes("Before the NUL\0after it"));

        var problem = Assert.Single((await Assert.ThrowsAsync<ContentValidationException>(() => _reader.ReadAsync(path))).Problems);

        Assert.Equal("file", problem.Field);
        Assert.Equal("must be a text file, but holds a NUL byte at byte 15 (is it a binary file?)", problem.Message);
    }

    [Fact]
    public async Task ReadAsync_Latin1File_IsRefusedAsNotUtf8()
    {
        var path = Write("latin1.md", [.. Encoding.ASCII.GetBytes("Caf"), 0xE9, .. Encoding.ASCII.GetBytes(" au lait")]);

        var problem = Assert.Single((await Assert.ThrowsAsync<ContentValidationException>(() => _reader.ReadAsync(path))).Problems);

        Assert.Equal("file", problem.Field);
        Assert.StartsWith("must be UTF-8 text, but byte 4 is not valid UTF-8", problem.Message, StringComparison.Ordinal);
    }

    // New-user finding: a 5 MB file became a 19,739-part thread and `preview` took 182 s.
    [Fact]
    public async Task ReadAsync_FileOverMaxContentBytes_IsRefusedBySizeAtOnce()
    {
        var path = Write("huge.md", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("A sentence of a long text. ", 200_000))));

        var problem = Assert.Single((await Assert.ThrowsAsync<ContentValidationException>(() => _reader.ReadAsync(path))).Problems);

        Assert.Equal("file", problem.Field);
        Assert.Equal("is 5,400,000 bytes; the limit is 524,288 bytes (Herald:Limits:MaxContentBytes)", problem.Message);
    }

    [Fact]
    public async Task ReadAsync_FileExactlyAtTheLimit_IsRead()
    {
        var reader = new MarkdownFileReader(new ContentLimits { MaxContentBytes = 1000 }, new FakeTimeProvider(Now));
        var path = Write("limit.md", Encoding.UTF8.GetBytes(new string('a', 1000)));

        var content = await reader.ReadAsync(path);

        Assert.Equal(1000, content.Body.Length);
    }

    [Fact]
    public void Parse_TextWithLoneSurrogate_IsRefusedAsAFileProblem()
    {
        var problem = Assert.Single(Assert.Throws<ContentValidationException>(() => MarkdownDocument.Parse("Text \uDC00 here", Now)).Problems);

        Assert.Equal("file", problem.Field);
        Assert.Contains("lone surrogate U+DC00", problem.Message, StringComparison.Ordinal);
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
