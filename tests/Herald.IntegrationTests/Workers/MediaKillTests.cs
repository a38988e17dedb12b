using Herald.Accounts;
using Herald.Contents;
using Herald.Formatting;
using Herald.Platforms;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Scheduling;
using Herald.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.IntegrationTests.Workers;

/// <summary>
/// Images across processes and a crash: a post with an image is scheduled from this process (its bytes go into
/// PostgreSQL, the file is deleted), a <c>herald work</c> process uploads the image to X and is killed with SIGKILL
/// while its create request is on the wire, and a second <c>herald work</c> publishes it once the dead run's lease is over.
/// </summary>
[Collection(RealTimeCollection.Name)]
public sealed class MediaKillTests
{
    [Fact]
    public async Task Worker_KilledBetweenTheImageUploadAndTheCreate_NextWorkerPostsOnceWithTheImageUploadedOnce()
    {
        await using var database = await TestDatabase.PostgresAsync(maxPoolSize: 10);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { DisableRateLimits = true });
        await using var proxy = await HoldingProxy.StartAsync(
            sandbox.PlatformBaseUrl("x"), r => r.Method == "POST" && r.Path.Value!.EndsWith("/2/tweets", StringComparison.Ordinal));
        var key = WorkerHost.NewCredentialKey();
        var services = new ServiceCollection();
        services.AddHerald().AddX();
        services.AddHeraldStorage(database.ConnectionString, key);
        await using var provider = services.BuildServiceProvider();
        await provider.MigrateHeraldDatabaseAsync();
        var publication = await ScheduleAsync(provider, proxy.Address);

        var environment = new Dictionary<string, string>
        {
            ["Herald__Database"] = database.ConnectionString,
            ["Herald__CredentialKey"] = key,
            // An attempt long enough for a cold process on a busy machine to upload and reach the create, so the kill
            // lands while the create is held; a lease not much longer, so the second worker recovers it soon after.
            ["Herald__Workers__LeaseDuration"] = "00:00:40",
            ["Herald__Workers__AttemptTimeout"] = "00:00:30",
            ["Herald__Workers__HoldAhead"] = "00:00:01",
            ["Herald__Workers__SafetyPoll"] = "00:00:01",
            ["Herald__RateLimits__Enabled"] = "false",
        };
        using (var first = await WorkerProcess.StartAsync(environment))
        {
            if (await Task.WhenAny(proxy.Held.Task, Task.Delay(TimeSpan.FromMinutes(3))) != proxy.Held.Task)
            {
                var stored = await LoadAsync(provider, publication.Id);
                Assert.Fail($"No create reached X within 3 minutes; the publication is {stored.Status} ({stored.LastError}):\n{first.Output}");
            }

            first.Kill();
        }

        // Killed mid-attempt: still under the dead run's lease, the upload stored, nothing posted.
        var killed = await LoadAsync(provider, publication.Id);
        Assert.Equal(PublicationStatus.Publishing, killed.Status);
        Assert.StartsWith("run-", killed.LeaseOwner, StringComparison.Ordinal);
        Assert.Equal(1, killed.AttemptCount);
        Assert.Single(killed.UploadedMedia);
        Assert.Equal(1, Uploads(sandbox));
        Assert.Empty(sandbox.State.X.Posts);
        // The dead run's lease would run out 40 s after its claim (long, for a cold process on a busy machine): it is
        // moved 41 s earlier for this one row, on the database's clock, instead of waited out — as if that time had passed.
        await ExpireLeaseAsync(provider, publication.Id);
        proxy.PassEverything();
        using var second = await WorkerProcess.StartAsync(environment);
        var published = await WaitForEndAsync(provider, publication.Id, TimeSpan.FromMinutes(3), second);

        Assert.True(published.Status == PublicationStatus.Published, $"{published.Status}: {published.LastError}\n{second.Output}");
        var post = Assert.Single(sandbox.State.X.Posts);
        Assert.Equal(published.ExternalId, post.Id);
        var media = Assert.Single(post.Media);
        Assert.Equal(("A brass bell on a wooden beam", 64, 32), (media.AltText, media.Width, media.Height));
        Assert.Equal(1, Uploads(sandbox));
        Assert.Equal(media.Id, Assert.Single(published.UploadedMedia).RemoteRef);
        // The second worker took it over when the lease expired: the lost attempt counted, then the one that posted.
        Assert.Equal(2, published.AttemptCount);
        await using var scope = provider.CreateAsyncScope();
        var attempts = await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetAttemptsAsync(publication.Id);
        Assert.Equal([(1, PublishOutcomeKind.Unknown), (2, PublishOutcomeKind.Published)], attempts.OrderBy(a => a.Number).Select(a => (a.Number, a.Outcome)));
    }

    private static int Uploads(SandboxServer sandbox) =>
        sandbox.Requests.For("x").Count(r => r.Method == "POST" && r.Path.Contains("/2/media/upload", StringComparison.Ordinal) && r.Accepted);

    private static async Task<Publication> ScheduleAsync(IServiceProvider services, Uri xAddress)
    {
        var directory = Directory.CreateTempSubdirectory("herald-media-kill-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(directory, "bell.png"), Engine.ImageFlow.Png(64, 32));
            var markdown = Path.Combine(directory, "post.md");
            await File.WriteAllTextAsync(markdown, "---\nimages: [{src: ./bell.png, alt: \"A brass bell on a wooden beam\"}]\n---\nThe bell is back.\n");
            var content = await new MarkdownFileReader(new ContentLimits(), TimeProvider.System).ReadAsync(markdown);
            var account = new Account
            {
                Platform = "x",
                DisplayName = "x",
                Credentials = new AccountCredentials { ["access_token"] = SandboxAccounts.XAccessToken },
                Settings = new Dictionary<string, string> { ["username"] = SandboxAccounts.XUsername },
                BaseUrl = xAddress,
            };
            await using var scope = services.CreateAsyncScope();
            var scheduler = scope.ServiceProvider.GetRequiredService<IPublicationScheduler>();
            return Assert.Single(await scheduler.ScheduleAsync(content, [account], ScheduleTime.Now(TimeProvider.System)));
        }
        finally
        {
            // The workers read the image from the database, never from the file.
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task ExpireLeaseAsync(IServiceProvider services, PublicationId id)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        var moved = await db.Publications.Where(p => p.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.LeaseExpiresAt, p => p.LeaseExpiresAt!.Value.AddSeconds(-41)));
        Assert.Equal(1, moved);
    }

    private static async Task<Publication> LoadAsync(IServiceProvider services, PublicationId id)
    {
        await using var scope = services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetPublicationAsync(id))!;
    }

    private static async Task<Publication> WaitForEndAsync(IServiceProvider services, PublicationId id, TimeSpan within, WorkerProcess worker)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var publication = await LoadAsync(services, id);
            if (publication.Status is not (PublicationStatus.Scheduled or PublicationStatus.Publishing or PublicationStatus.RetryScheduled))
            {
                return publication;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Still {publication.Status} after {within}:\n{worker.Output}");

            await Task.Delay(100);
        }
    }
}
