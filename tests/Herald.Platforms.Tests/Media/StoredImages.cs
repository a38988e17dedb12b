using System.Security.Cryptography;
using Herald.Accounts;
using Herald.Contents;
using Herald.Media;
using Herald.Publications;

namespace Herald.Platforms.Tests.Media;

/// <summary>
/// Image bytes held for adapter tests as Herald's database would hold them (by SHA-256), and the publish requests
/// that read them and record what the platform accepted.
/// </summary>
internal sealed class StoredImages
{
    private readonly Dictionary<string, byte[]> _bytes = [];

    /// <summary>What adapters reported as uploaded, in order.</summary>
    public List<UploadedMedia> Uploaded { get; } = [];

    public ContentImage Image(byte[] bytes, string? alt)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        _bytes[sha] = bytes;
        return new ContentImage { Source = $"/images/{sha[..8]}", Alt = alt, Sha256 = sha, MediaType = MediaSniffer.Sniff(bytes), Length = bytes.Length };
    }

    /// <summary>The stored bytes named <paramref name="sha"/>, as <c>IMediaStore.OpenReadAsync</c> gives them; null when none.</summary>
    public Task<Stream?> OpenAsync(string sha, CancellationToken cancellationToken) =>
        Task.FromResult<Stream?>(_bytes.TryGetValue(sha, out var bytes) ? new MemoryStream(bytes) : null);

    public static Content Post(string text, params ContentImage[] images) => new() { Type = ContentType.Post, Body = text, Images = images };

    public PublishRequest Request(Content content, Account account) => new(content, account, $"pub-{Guid.NewGuid():N}")
    {
        OpenMedia = (sha, _) => Task.FromResult<Stream?>(_bytes.TryGetValue(sha, out var bytes) ? new MemoryStream(bytes) : null),
        OnMediaUploaded = (media, _) =>
        {
            Uploaded.Add(media);
            return Task.CompletedTask;
        },
    };
}
