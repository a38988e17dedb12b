using System.Security.Cryptography;
using Herald.Accounts;
using Herald.Contents;
using Herald.Engine;
using Herald.Platforms;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Storage.Accounts;
using Herald.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Herald.IntegrationTests.Engine;

/// <summary>
/// Renewing an X OAuth 2.0 token pair when several copies of the account exist: two batches, or two processes,
/// sharing one database (SQLite or PostgreSQL) and the sandbox's single-use refresh tokens.
/// </summary>
public sealed class XTokenRenewalTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Refresh_SecondCopyWithStaleToken_AdoptsTheRenewedPairInsteadOfSpendingTheUsedOne(string database)
    {
        // Regression: the second copy still held the expired token and the spent refresh token; it refreshed with the
        // spent one, X answered 400, and its post failed for good with "authorize Herald again".
        await using var world = await RenewalWorld.StartAsync(database);
        var accountId = await world.ScheduleAccountAsync();
        var first = await world.ScheduleAsync(accountId, "The first process renews the token");
        var second = await world.ScheduleAsync(accountId, "The second process adopts the renewed token");
        await using var processOne = world.Process();
        await using var processTwo = world.Process();
        var copyOne = await processOne.AccountAsync(accountId);
        var copyTwo = await processTwo.AccountAsync(accountId);

        var one = await processOne.RunAsync(first, copyOne);
        var two = await processTwo.RunAsync(second, copyTwo);

        Assert.True(one.IsSuccess, one.Error);
        Assert.True(two.IsSuccess, two.Error);
        Assert.Equal(PublicationStatus.Published, (await processTwo.PublicationAsync(first.Publication.Id)).Status);
        Assert.Equal(PublicationStatus.Published, (await processTwo.PublicationAsync(second.Publication.Id)).Status);
        Assert.Equal(1, world.TokenCalls);
        Assert.True(await world.StoredRefreshTokenIsLiveAsync(accountId));
        // X's answer said how long the new token lasts: kept beside the pair, as the accounts list and overview show it.
        Assert.Equal(world.Clock.GetUtcNow() + world.Sandbox.State.Options.X.AccessTokenLifetime, await world.StoredTokenExpiresAtAsync(accountId));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Refresh_TwoCopiesAtOnce_BothPublishAndOneRefreshIsSpent(string database)
    {
        await using var world = await RenewalWorld.StartAsync(database);
        var accountId = await world.ScheduleAccountAsync();
        var first = await world.ScheduleAsync(accountId, "Concurrent renewal, first copy");
        var second = await world.ScheduleAsync(accountId, "Concurrent renewal, second copy");
        await using var processOne = world.Process();
        await using var processTwo = world.Process();
        var copyOne = await processOne.AccountAsync(accountId);
        var copyTwo = await processTwo.AccountAsync(accountId);

        var results = await Task.WhenAll(processOne.RunAsync(first, copyOne), processTwo.RunAsync(second, copyTwo));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error));
        // The lock kept the two copies' renewals apart: the second never sent the spent refresh token.
        Assert.Equal(1, world.TokenCalls);
        Assert.True(await world.StoredRefreshTokenIsLiveAsync(accountId));
    }

    [Fact]
    public async Task Refresh_SaveOfTheNewPairFailsTwice_IsRetriedAndTheStoredRefreshTokenIsTheLiveOne()
    {
        // Regression: one failed save after a refresh left the new single-use refresh token only in memory.
        await using var world = await RenewalWorld.StartAsync("sqlite");
        var accountId = await world.ScheduleAccountAsync();
        var scheduled = await world.ScheduleAsync(accountId, "Posted although the database hiccuped twice");
        await using var process = world.Process(failingSaves: 2);
        var copy = await process.AccountAsync(accountId);

        var running = process.RunAsync(scheduled, copy);
        // The save retries wait on Herald's clock: move it only while a failed save waits for its retry. Moving it while
        // a request is in flight would spend the attempt's budget, which runs on the same clock, on a busy machine.
        var deadline = Environment.TickCount64 + 120_000;
        while (!running.IsCompleted && Environment.TickCount64 < deadline)
        {
            if (process.SaveCalls is 1 or 2)
            {
                world.Clock.Advance(TimeSpan.FromMilliseconds(100));
            }

            await Task.WhenAny(running, Task.Delay(20));
        }

        var result = await running;
        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(3, process.SaveCalls);
        Assert.True(await world.StoredRefreshTokenIsLiveAsync(accountId));
    }

    private sealed record Scheduled(Publication Publication, Content Content);

    /// <summary>One sandbox and one database; each <see cref="Process"/> is Herald as another process would compose it.</summary>
    private sealed class RenewalWorld : IAsyncDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("herald-renewal-").FullName;
        private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        private string _connectionString = "";
        private string? _postgresDatabase;
        private ServiceProvider _setup = null!;

        private RenewalWorld(SandboxServer sandbox) => Sandbox = sandbox;

        public SandboxServer Sandbox { get; }

        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

        /// <summary>How many refresh calls reached the sandbox, accepted or refused.</summary>
        public int TokenCalls => Sandbox.Requests.For("x").Count(r => r.Path == "/x/2/oauth2/token");

        private string? IssuedRefreshToken { get; set; }

        public static async Task<RenewalWorld> StartAsync(string database)
        {
            var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Random = new Random(11) });
            var world = new RenewalWorld(sandbox);
            if (database == "postgres")
            {
                (world._postgresDatabase, world._connectionString) = await ScratchPostgres.CreateAsync("herald_test");
            }
            else
            {
                world._connectionString = $"Data Source={Path.Combine(world._directory, "herald.db")}";
            }

            world._setup = world.Services(failingSaves: 0);
            await world._setup.MigrateHeraldDatabaseAsync();
            return world;
        }

        /// <summary>An X account whose access token has expired and whose refresh token is live.</summary>
        public async Task<AccountId> ScheduleAccountAsync()
        {
            var x = Sandbox.State.X;
            var user = x.AddUser($"renewal_{Guid.NewGuid():N}"[..15]);
            var expired = $"expired-{Guid.NewGuid():N}";
            x.AddAccessToken(user, expired, DateTimeOffset.UnixEpoch);
            IssuedRefreshToken = x.IssueTokens(user, SandboxAccounts.XClientId).RefreshToken;
            await using var scope = _setup.CreateAsyncScope();
            var stored = await scope.ServiceProvider.GetRequiredService<IPublicationStore>().UpsertAccountAsync(new Account
            {
                Platform = "x",
                DisplayName = user.Username,
                BaseUrl = Sandbox.PlatformBaseUrl("x"),
                Credentials = new AccountCredentials
                {
                    ["access_token"] = expired,
                    ["refresh_token"] = IssuedRefreshToken,
                    ["client_id"] = SandboxAccounts.XClientId,
                },
            });
            return stored.Id;
        }

        public async Task<Scheduled> ScheduleAsync(AccountId accountId, string text)
        {
            await using var scope = _setup.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
            var content = new Content { Type = ContentType.Post, Body = $"{text} ({Guid.NewGuid():N})" };
            await store.AddContentAsync(content);
            var now = Clock.GetUtcNow();
            var publication = Publication.Create(content.Id, accountId, "x", now, "UTC", 3, now);
            await store.AddPublicationAsync(publication);
            return new Scheduled(publication, content);
        }

        public HeraldProcess Process(int failingSaves = 0) => new(Services(failingSaves));

        /// <summary>Whether the refresh token in the database is the one the sandbox would renew with now.</summary>
        public async Task<bool> StoredRefreshTokenIsLiveAsync(AccountId accountId)
        {
            await using var scope = _setup.CreateAsyncScope();
            var account = await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetAccountAsync(accountId);
            var stored = account!.Credentials["refresh_token"]!;
            Assert.NotEqual(IssuedRefreshToken, stored);
            using var http = new HttpClient();
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = stored,
                ["client_id"] = SandboxAccounts.XClientId,
            });
            using var renewed = await http.PostAsync(new Uri(Sandbox.PlatformBaseUrl("x") + "/2/oauth2/token"), form);
            return renewed.IsSuccessStatusCode;
        }

        /// <summary>When the database says the account's access token expires (null when not known).</summary>
        public async Task<DateTimeOffset?> StoredTokenExpiresAtAsync(AccountId accountId)
        {
            await using var scope = _setup.CreateAsyncScope();
            return (await scope.ServiceProvider.GetRequiredService<AccountDirectory>().CredentialDatesAsync(accountId, CancellationToken.None)).TokenExpiresAt;
        }

        public async ValueTask DisposeAsync()
        {
            await _setup.DisposeAsync();
            await Sandbox.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
            if (_postgresDatabase is not null)
            {
                await ScratchPostgres.DropAsync(_postgresDatabase);
            }
        }

        private ServiceProvider Services(int failingSaves)
        {
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddHerald().AddX();
            services.AddHeraldStorage(_connectionString, _key);
            if (failingSaves > 0)
            {
                var stored = services.Single(d => d.ServiceType == typeof(IAccountCredentialsStore));
                services.RemoveAll<IAccountCredentialsStore>();
                services.AddSingleton(sp => new FailingSavesStore((IAccountCredentialsStore)ActivatorUtilities.CreateInstance(sp, stored.ImplementationType!), failingSaves));
                services.AddSingleton<IAccountCredentialsStore>(sp => sp.GetRequiredService<FailingSavesStore>());
            }

            return services.BuildServiceProvider();
        }
    }

    /// <summary>Herald in one process: its own service provider (adapters, locks, connection pools).</summary>
    private sealed class HeraldProcess(ServiceProvider services) : IAsyncDisposable
    {
        public int SaveCalls => services.GetService<FailingSavesStore>()?.Calls ?? 0;

        public async Task<Account> AccountAsync(AccountId id)
        {
            await using var scope = services.CreateAsyncScope();
            return (await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetAccountAsync(id))!;
        }

        public async Task<Publication> PublicationAsync(PublicationId id)
        {
            await using var scope = services.CreateAsyncScope();
            return (await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetPublicationAsync(id))!;
        }

        public async Task<PublishOutcome> RunAsync(Scheduled scheduled, Account account)
        {
            await using var scope = services.CreateAsyncScope();
            var publication = await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetPublicationAsync(scheduled.Publication.Id);
            return await scope.ServiceProvider.GetRequiredService<PublicationRunner>().RunAsync(publication!, scheduled.Content, account, "worker");
        }

        public ValueTask DisposeAsync() => services.DisposeAsync();
    }

    /// <summary>The real store behind a database connection that drops the first <c>failures</c> saves.</summary>
    private sealed class FailingSavesStore(IAccountCredentialsStore inner, int failures) : IAccountCredentialsStore
    {
        private int _calls;

        public int Calls => _calls;

        public Task SaveCredentialsAsync(AccountId accountId, AccountCredentials credentials, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _calls) <= failures
                ? throw new TimeoutException("The database did not answer in time.")
                : inner.SaveCredentialsAsync(accountId, credentials, cancellationToken);

        public Task<T> RenewAsync<T>(AccountId accountId, Func<AccountCredentials?, Task<T>> renew, CancellationToken cancellationToken = default) =>
            inner.RenewAsync(accountId, renew, cancellationToken);
    }
}
