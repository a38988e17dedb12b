using Herald.Accounts;
using Herald.Contents;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Platforms.Tests.Bluesky;

/// <summary>A Bluesky session stored with the account, read back by a later run whose service is elsewhere.</summary>
public sealed class BlueskySessionsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Publish_StoredSessionOfAnEarlierSandbox_LogsInToTheCurrentServiceAndPublishes()
    {
        // Regression: the stored session kept the first run's PDS address, so every later sandbox run posted to a port
        // that no longer existed (and a user who changed the base URL kept posting to the old service).
        var stored = new AccountCredentials();
        await using (var firstRun = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = _clock, Random = new Random(1) }))
        {
            var outcome = await PublishAsync(firstRun, stored, "First sandbox run");
            Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        }

        Assert.True(stored.Has("access_jwt"));
        await using var secondRun = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = _clock, Random = new Random(2) });

        var again = await PublishAsync(secondRun, stored, "Second sandbox run");

        Assert.Equal(PublishOutcomeKind.Published, again.Kind);
        Assert.Single(secondRun.State.Bluesky.Records);
        Assert.StartsWith(secondRun.PlatformBaseUrl("bluesky").AbsoluteUri.TrimEnd('/'), stored["pds_url"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_StoredSessionOnAPdsThatNoLongerAnswers_LogsInAgainInsteadOfFailing()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = _clock, Random = new Random(3) });
        var stored = new AccountCredentials();
        Assert.Equal(PublishOutcomeKind.Published, (await PublishAsync(sandbox, stored, "Session made")).Kind);
        // The account's repository has moved: the stored PDS address refuses connections.
        stored["pds_url"] = $"http://127.0.0.1:{ClosedPort()}/";

        var outcome = await PublishAsync(sandbox, stored, "PDS moved");

        Assert.Equal(PublishOutcomeKind.Published, outcome.Kind);
        Assert.Equal(2, sandbox.State.Bluesky.Records.Count);
    }

    /// <summary>One run of Herald: a fresh process publishing with the credentials stored so far, keeping what it renews.</summary>
    private async Task<PublishOutcome> PublishAsync(SandboxServer sandbox, AccountCredentials stored, string text)
    {
        var store = new KeepingStore(stored);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<IAccountCredentialsStore>(store);
        services.AddHerald().AddBluesky();
        await using var provider = services.BuildServiceProvider();
        var adapter = provider.GetRequiredService<PlatformRegistry>().Resolve("bluesky");
        var account = new Account
        {
            Id = new AccountId(Guid.Parse("6f1c3a52-64c4-4d55-9b1a-0d1a8f1b2c3d")),
            Platform = "bluesky",
            DisplayName = SandboxAccounts.BlueskyHandle,
            BaseUrl = sandbox.PlatformBaseUrl("bluesky"),
            Credentials = new AccountCredentials(stored)
            {
                ["identifier"] = SandboxAccounts.BlueskyHandle,
                ["app_password"] = SandboxAccounts.BlueskyAppPassword,
            },
        };
        return await adapter.PublishAsync(new PublishRequest(new Content { Type = ContentType.Post, Body = text }, account, Guid.NewGuid().ToString("N")));
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Keeps the renewed credentials between runs, as the database would.</summary>
    private sealed class KeepingStore(AccountCredentials kept) : IAccountCredentialsStore
    {
        public Task SaveCredentialsAsync(AccountId accountId, AccountCredentials credentials, CancellationToken cancellationToken = default)
        {
            foreach (var (key, value) in credentials)
            {
                kept[key] = value;
            }

            return Task.CompletedTask;
        }
    }
}
