using System.Security.Cryptography;
using Herald.Contents;
using Herald.Media;
using Herald.Publications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Storage.Tests;

/// <summary>The media store and the image columns; the suite runs once on SQLite and once on PostgreSQL.</summary>
public abstract class MediaStoreTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : StorageDatabase
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static (StoredMedia Media, byte[] Bytes) Random(int length)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);
        return (new StoredMedia(Convert.ToHexStringLower(SHA256.HashData(bytes)), "image/png", length, 640, 480), bytes);
    }

    [Fact]
    public async Task AddAsync_ThenOpenReadAsync_StreamsTheSameBytesBack()
    {
        var (media, bytes) = Random(3 * 1024 * 1024 + 17);
        await using (var scope = database.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<IMediaStore>();
            Assert.False(await store.ContainsAsync(media.Sha256));
            await store.AddAsync(media, new MemoryStream(bytes));
            // The same bytes again: stored once.
            await store.AddAsync(media, new MemoryStream(bytes));
        }

        await using var reading = database.Services.CreateAsyncScope();
        var reader = reading.ServiceProvider.GetRequiredService<IMediaStore>();
        Assert.True(await reader.ContainsAsync(media.Sha256));
        await using var stream = await reader.OpenReadAsync(media.Sha256);
        var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
        Assert.Null(await reader.OpenReadAsync(new string('0', 64)));
        Assert.Equal(1, await reading.ServiceProvider.GetRequiredService<HeraldDbContext>().Set<Media.MediaRow>().CountAsync(m => m.Sha256 == media.Sha256));
    }

    [Fact]
    public async Task AddAsync_InATransactionThatFails_StoresNothing()
    {
        var (media, bytes) = Random(1000);
        await using (var scope = database.Services.CreateAsyncScope())
        {
            var publications = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
            var store = scope.ServiceProvider.GetRequiredService<IMediaStore>();
            await Assert.ThrowsAsync<InvalidOperationException>(() => publications.InTransactionAsync<int>(async () =>
            {
                await store.AddAsync(media, new MemoryStream(bytes));
                throw new InvalidOperationException("a later step failed");
            }));
        }

        await using var check = database.Services.CreateAsyncScope();
        Assert.False(await check.ServiceProvider.GetRequiredService<IMediaStore>().ContainsAsync(media.Sha256));
    }

    [Fact]
    public async Task ContentImagesAndUploadedMedia_RoundTrip()
    {
        var image = new ContentImage { Source = "/tmp/a.png", Alt = "", Sha256 = new string('a', 64), MediaType = "image/png", Length = 10, Width = 3, Height = 2 };
        var content = new Content { Type = ContentType.Post, Body = "Hi.", Images = [image, new ContentImage { Source = "/tmp/b.png", Alt = "B" }], CreatedAt = Now };
        var account = new Herald.Accounts.Account { Platform = "mastodon", DisplayName = "media-roundtrip", CreatedAt = Now };
        var publication = Publication.Create(content.Id, account.Id, "mastodon", Now, "UTC", 3, Now);
        publication.RecordUploadedMedia(new UploadedMedia(0, 0, image.Sha256!, "1234", Now), Now);
        await using (var scope = database.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
            await store.AddContentAsync(content);
            await store.UpsertAccountAsync(account);
            await store.AddPublicationAsync(publication);
        }

        await using var reading = database.Services.CreateAsyncScope();
        var reader = reading.ServiceProvider.GetRequiredService<IPublicationStore>();
        var loaded = await reader.GetContentAsync(content.Id);
        Assert.Equal(content.Images, loaded!.Images);
        var loadedPublication = await reader.GetPublicationAsync(publication.Id);
        Assert.Equal(publication.UploadedMedia, loadedPublication!.UploadedMedia);
    }
}

public sealed class SqliteMediaStoreTests(SqliteDatabase database) : MediaStoreTests<SqliteDatabase>(database);

public sealed class PostgresMediaStoreTests(PostgresDatabase database) : MediaStoreTests<PostgresDatabase>(database);
