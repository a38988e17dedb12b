using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;

namespace Herald.IntegrationTests.Workers;

/// <summary>Three <c>herald work</c> processes on one PostgreSQL; one is killed with SIGKILL mid-run and restarted.</summary>
[Collection(RealTimeCollection.Name)]
public sealed class MultiProcessTests
{
    [Fact]
    public async Task Workers_ThreeProcessesOneKilledMidRun_PublishEveryArticleExactlyOnce()
    {
        const int Count = 2000;
        await using var database = await TestDatabase.PostgresAsync(maxPoolSize: 10);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { DisableRateLimits = true });
        var key = WorkerHost.NewCredentialKey();
        await using var seeder = await WorkerHost.StartAsync(database, key, TimeProvider.System, start: false);
        var contents = await SharedWorkTests.SeedAsync(seeder, sandbox, Count, accounts: 50);
        var environment = new Dictionary<string, string>
        {
            ["Herald__Database"] = database.ConnectionString,
            ["Herald__CredentialKey"] = key,
            ["Herald__Workers__Count"] = "4",
            ["Herald__Workers__LeaseDuration"] = "00:00:06",
            ["Herald__Workers__AttemptTimeout"] = "00:00:03",
            // Held publications need a whole attempt and the safety margin left of these short leases.
            ["Herald__Workers__HoldAhead"] = "00:00:01",
            ["Herald__Workers__SafetyPoll"] = "00:00:01",
            ["Herald__DevTo__Timeout"] = "00:00:02",
            ["Herald__RateLimits__Enabled"] = "false",
        };

        var workers = new List<WorkerProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                workers.Add(await WorkerProcess.StartAsync(environment));
            }

            var deadline = DateTime.UtcNow.AddMinutes(2);
            while ((await seeder.StatusCountsAsync()).GetValueOrDefault(PublicationStatus.Published) < Count / 4)
            {
                Assert.True(DateTime.UtcNow < deadline, "The workers did not get going:\n" + workers[0].Output);
                await Task.Delay(50);
            }

            workers[0].Kill();
            workers[0].Dispose();
            workers[0] = await WorkerProcess.StartAsync(environment);

            await SharedWorkTests.WaitAllAsync(seeder, Count, TimeSpan.FromMinutes(4));
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }

        var accepted = sandbox.Requests.For("devto").Where(r => r.Method == "POST" && r.Accepted).ToList();
        var perCanonical = sandbox.State.DevTo.Articles.GroupBy(a => a.CanonicalUrl).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(Count, accepted.Count);
        Assert.Equal(contents.Select(c => c.CanonicalUrl!.AbsoluteUri).Order(), perCanonical.Keys.Order());
        Assert.All(perCanonical.Values, n => Assert.Equal(1, n));
    }
}
