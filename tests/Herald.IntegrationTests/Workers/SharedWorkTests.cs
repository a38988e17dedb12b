using Herald.Accounts;
using Herald.Contents;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Scheduling;
using Herald.Storage;
using Herald.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.IntegrationTests.Workers;

/// <summary>
/// Several workers on one real PostgreSQL against one sandbox over HTTP: the shared rate limit, and recovery
/// from a sandbox that fails, rate-limits and drops connections after accepting.
/// </summary>
[Collection(RealTimeCollection.Name)]
public sealed class SharedWorkTests
{
    [Fact]
    public async Task Workers_ThreeSharingOneDevToAccount_NeverExceedTheLimitInAnyWindow()
    {
        var window = TimeSpan.FromSeconds(1);
        const int Permits = 5;
        await using var database = await TestDatabase.PostgresAsync(maxPoolSize: 10);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { DevTo = { CreatesPerWindow = Permits, CreateWindow = window } });
        var key = WorkerHost.NewCredentialKey();
        var settings = new Dictionary<string, string?>
        {
            ["Herald:RateLimits:devto:Permits"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Herald:RateLimits:devto:Window"] = window.ToString(),
            ["Herald:Workers:Count"] = "4",
            // A busy machine may fail an attempt (a slow connection, a full pool): its retry must come within the
            // wait below, not after the default minute. The limit, not the retry policy, is what this test checks.
            ["Herald:Retry:BaseDelay"] = "00:00:00.500",
            ["Herald:Retry:MaxDelay"] = "00:00:02",
        };
        var workers = new List<WorkerHost>();
        for (var i = 0; i < 3; i++)
        {
            workers.Add(await WorkerHost.StartAsync(database, key, TimeProvider.System, settings));
        }

        try
        {
            var ids = new List<PublicationId>();
            for (var i = 0; i < 30; i++)
            {
                ids.AddRange((await workers[i % 3].ScheduleAsync(Articles.New($"Limited {i}"), Articles.DevTo(sandbox), ScheduleTime.Now(TimeProvider.System))).Select(p => p.Id));
            }

            await WaitAllAsync(workers[0], ids.Count, TimeSpan.FromSeconds(60));

            var creates = sandbox.Requests.For("devto").Where(r => r.Method == "POST").OrderBy(r => r.ReceivedAt).ToList();
            Assert.All(creates, r => Assert.Equal(201, r.StatusCode));
            Assert.Equal(30, creates.Count);
            foreach (var first in creates)
            {
                Assert.True(creates.Count(r => r.ReceivedAt >= first.ReceivedAt && r.ReceivedAt < first.ReceivedAt + window) <= Permits,
                    $"More than {Permits} creates in the window from {first.ReceivedAt:HH:mm:ss.fff}.");
            }
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Workers_SandboxWithFaultsAndDrops_PublishEveryArticleExactlyOnce()
    {
        const int Count = 1000;
        await using var database = await TestDatabase.PostgresAsync();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            DisableRateLimits = true,
            Random = new Random(3),
            Faults = new SandboxFaults { ServerErrorRate = 0.10, RateLimitRate = 0.05, RetryAfterSeconds = 1, DropAfterAcceptRate = 0.02 },
        });
        var settings = new Dictionary<string, string?>
        {
            ["Herald:Retry:MaxRetries"] = "8",
            ["Herald:Retry:BaseDelay"] = "00:00:00.200",
            ["Herald:Retry:MaxDelay"] = "00:00:01",
            ["Herald:RateLimits:Enabled"] = "false",
        };
        await using var workers = await WorkerHost.StartAsync(database, WorkerHost.NewCredentialKey(), TimeProvider.System, settings, start: false);
        var contents = await SeedAsync(workers, sandbox, Count, accounts: 20);
        await workers.StartHostAsync();

        await WaitAllAsync(workers, Count, TimeSpan.FromMinutes(3));

        var accepted = sandbox.Requests.For("devto").Where(r => r.Method == "POST" && r.Accepted).ToList();
        var perCanonical = sandbox.State.DevTo.Articles.GroupBy(a => a.CanonicalUrl).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(Count, accepted.Count);
        Assert.Equal(contents.Select(c => c.CanonicalUrl!.AbsoluteUri).Order(), perCanonical.Keys.Order());
        Assert.All(perCanonical.Values, n => Assert.Equal(1, n));
        Assert.Contains(sandbox.Requests.For("devto"), r => r.StatusCode == 503);
        Assert.Contains(sandbox.Requests.For("devto"), r => r.StatusCode == 429);
    }

    /// <summary>Stores <paramref name="count"/> articles due now, spread over <paramref name="accounts"/> sandbox users, in one transaction.</summary>
    internal static async Task<List<Content>> SeedAsync(WorkerHost host, SandboxServer sandbox, int count, int accounts)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        var stored = new List<Account>();
        for (var i = 0; i < accounts; i++)
        {
            var apiKey = $"seed-key-{i}-{Guid.NewGuid():N}";
            sandbox.State.DevTo.AddUser(apiKey, $"seed{i}_{Guid.NewGuid():N}"[..20]);
            var account = Articles.DevTo(sandbox, apiKey, $"seed-{i}");
            db.Accounts.Add(account);
            stored.Add(account);
        }

        var now = TimeProvider.System.GetUtcNow();
        var contents = new List<Content>(count);
        for (var i = 0; i < count; i++)
        {
            var content = Articles.New($"Seeded article {i}");
            contents.Add(content);
            db.Contents.Add(content);
            db.Publications.Add(Publication.Create(content.Id, stored[i % accounts].Id, "devto", now, "UTC", 8, now));
        }

        await db.SaveChangesAsync();
        return contents;
    }

    internal static async Task WaitAllAsync(WorkerHost host, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        Dictionary<PublicationStatus, int> counts;
        while ((counts = await host.StatusCountsAsync()).GetValueOrDefault(PublicationStatus.Published) < count)
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"Not all published in time: {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))}. " +
                    $"Waiting: {string.Join("; ", await host.UnpublishedAsync())}");
            }

            await Task.Delay(200);
        }

        Assert.Equal(count, counts.Values.Sum());
    }
}
