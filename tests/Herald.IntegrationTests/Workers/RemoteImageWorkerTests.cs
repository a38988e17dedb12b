using Herald.IntegrationTests.Engine;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Scheduling;
using Herald.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.IntegrationTests.Workers;

/// <summary>
/// An image given by URL, scheduled in this process, published by a real <c>herald work</c> process once the image's
/// server is gone: the bytes travel through the database only. On SQLite: the same image bytes travelling through
/// PostgreSQL to another <c>herald work</c> process are what <see cref="MediaKillTests"/> checks, and the media store's
/// PostgreSQL round trip is in the storage tests, so a PostgreSQL run of this one would check nothing more.
/// </summary>
public sealed class RemoteImageWorkerTests
{
    [Fact]
    public async Task Work_ImageScheduledFromAUrl_PublishedByAnotherProcessFromTheDatabase()
    {
        await using var database = TestDatabase.Sqlite();
        await using var sandbox = await SandboxServer.StartAsync();
        var key = WorkerHost.NewCredentialKey();
        await using var scheduler = await WorkerHost.StartAsync(
            database, key, TimeProvider.System, new Dictionary<string, string?> { ["Herald:Media:AllowPrivateAddresses"] = "true" }, start: false);
        var images = await ImageServer.StartAsync(ImageFlow.Png(30, 15));
        var url = images.Url("a.png");
        var markdown = Path.Combine(Path.GetTempPath(), $"herald-remote-image-{Guid.NewGuid():N}.md");
        await File.WriteAllTextAsync(markdown, $"---\ntype: post\nimages: [{{src: '{url}', alt: \"A brass bell\"}}]\n---\nFrom another process.\n");
        var content = await scheduler.Services.GetRequiredService<Herald.Formatting.MarkdownFileReader>().ReadAsync(markdown);
        File.Delete(markdown);

        var publication = Assert.Single(await scheduler.ScheduleAsync(content, ImageFlow.Mastodon(sandbox), ScheduleTime.Now(TimeProvider.System)));
        Assert.Equal(1, images.Hits("/a.png"));
        // The image's server goes away before any worker runs.
        await images.DisposeAsync();

        using var worker = await WorkerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Herald__Database"] = database.ConnectionString,
            ["Herald__CredentialKey"] = key,
            ["Herald__Workers__SafetyPoll"] = "00:00:01",
        });
        var published = await scheduler.WaitForAsync(publication.Id, p => p.Status is PublicationStatus.Published or PublicationStatus.Failed, TimeSpan.FromMinutes(2));

        Assert.True(published.Publication.Status == PublicationStatus.Published, published.Publication.LastError + "\n" + worker.Output);
        var status = Assert.Single(sandbox.State.Mastodon.Statuses);
        var media = Assert.Single(status.Media);
        Assert.Equal(("A brass bell", "image/png", 30, 15), (media.Description, media.MediaType, media.Width, media.Height));
        Assert.Equal(url, Assert.Single(published.Content!.Images).Source);
    }
}
