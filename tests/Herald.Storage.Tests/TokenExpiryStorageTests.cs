using Herald.Accounts;
using Herald.Publications;
using Herald.Storage.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Storage.Tests;

/// <summary>
/// An account's access token expiry, kept in its own column beside the credentials (never inside them): written when
/// a platform renews the token and said how long it lasts, or when a user states it with the credentials. It runs once
/// on SQLite and once on PostgreSQL.
/// </summary>
public abstract class TokenExpiryStorageTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : StorageDatabase
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SaveCredentials_RenewalThatSaidTheLifetime_StoresTheExpiryAndARenewalWithoutOneForgetsIt()
    {
        await using var services = Services();
        var account = await AddAsync(services, "renewed");
        var store = services.GetRequiredService<IAccountCredentialsStore>();

        var renewed = new AccountCredentials { ["access_token"] = "renewed-access", ["refresh_token"] = "renewed-refresh" };
        renewed.AccessTokenExpiresAt = Now.AddSeconds(7200);
        await store.SaveCredentialsAsync(account.Id, renewed);
        var afterRenewal = await DatesAsync(services, account.Id);
        await store.SaveCredentialsAsync(account.Id, new AccountCredentials { ["access_token"] = "again", ["refresh_token"] = "again-refresh" });
        var afterPlainSave = await DatesAsync(services, account.Id);

        Assert.Equal(Now.AddHours(2), afterRenewal.TokenExpiresAt);
        Assert.Null(afterPlainSave.TokenExpiresAt);
        // The expiry is no credential: the credentials stored hold the tokens only.
        await using var scope = services.CreateAsyncScope();
        var loaded = await scope.ServiceProvider.GetRequiredService<AccountDirectory>().FindAsync(account.Id.ToString(), CancellationToken.None);
        Assert.Equal(["access_token", "refresh_token"], AccountDirectory.CredentialKeys(loaded!));
    }

    [Fact]
    public async Task MarkCredentialsRenewed_StatedExpiry_RoundTripsAsTheSameInstantBesideTheRenewalTime()
    {
        await using var services = Services();
        var account = await AddAsync(services, "stated");
        var stated = new DateTimeOffset(2027, 1, 31, 10, 30, 15, TimeSpan.FromHours(1));

        await using (var scope = services.CreateAsyncScope())
        {
            var directory = scope.ServiceProvider.GetRequiredService<AccountDirectory>();
            var tracked = await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Accounts.FindAsync(account.Id);
            await directory.MarkCredentialsRenewedAsync(tracked!, Now.AddMinutes(5), stated, CancellationToken.None);
        }

        var dates = await DatesAsync(services, account.Id);
        Dictionary<AccountId, CredentialDates> all;
        await using (var scope = services.CreateAsyncScope())
        {
            all = await scope.ServiceProvider.GetRequiredService<AccountDirectory>().CredentialDatesAsync(CancellationToken.None);
        }

        Assert.Equal(stated, dates.TokenExpiresAt);
        Assert.Equal(TimeSpan.Zero, dates.TokenExpiresAt!.Value.Offset);
        Assert.Equal(Now.AddMinutes(5), dates.RenewedAt);
        Assert.Equal(dates, all[account.Id]);
    }

    [Fact]
    public async Task Upsert_NewConfiguredCredentials_ForgetTheOldTokensExpiry_TheSameCredentialsKeepIt()
    {
        await using var services = Services();
        var name = $"configured-{Guid.NewGuid():N}";
        Account Configured(string token) => new()
        {
            Platform = "threads",
            DisplayName = name,
            Credentials = new AccountCredentials { ["access_token"] = token },
            CreatedAt = Now,
        };
        async Task<Account> UpsertAsync(Account account)
        {
            await using var scope = services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IPublicationStore>().UpsertAccountAsync(account);
        }

        var account = await UpsertAsync(Configured("first-token"));
        // As a renewal saves them: the stored credentials (with what tells where they came from), and the lifetime.
        var renewed = new AccountCredentials(account.Credentials) { AccessTokenExpiresAt = Now.AddDays(3) };
        await services.GetRequiredService<IAccountCredentialsStore>().SaveCredentialsAsync(account.Id, renewed);

        await UpsertAsync(Configured("first-token"));
        var kept = await DatesAsync(services, account.Id);
        await UpsertAsync(Configured("second-token"));
        var replaced = await DatesAsync(services, account.Id);

        Assert.Equal(Now.AddDays(3), kept.TokenExpiresAt);
        Assert.Null(replaced.TokenExpiresAt);
    }

    private ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        services.AddHerald();
        services.AddHeraldStorage(database.ConnectionString, database.CredentialKey);
        return services.BuildServiceProvider();
    }

    /// <summary>A stored Threads account with a long-lived token.</summary>
    private static async Task<Account> AddAsync(ServiceProvider services, string name)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IPublicationStore>().UpsertAccountAsync(new Account
        {
            Platform = "threads",
            DisplayName = $"{name}-{Guid.NewGuid():N}",
            Credentials = new AccountCredentials { ["access_token"] = "long-lived" },
            CreatedAt = Now,
        });
    }

    private static async Task<CredentialDates> DatesAsync(ServiceProvider services, AccountId id)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccountDirectory>().CredentialDatesAsync(id, CancellationToken.None);
    }
}

/// <summary>How an expiry reads, and when it needs a person: never for a token Herald renews itself.</summary>
public sealed class TokenExpiryWordsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(-60, false, "expired", true)]
    [InlineData(60, false, "in less than a day", true)]
    [InlineData(3 * 24 * 60 + 600, false, "in 3 days", true)]
    [InlineData(30 * 24 * 60, false, "in 30 days", false)]
    [InlineData(-60, true, "renewed by Herald when needed", false)]
    [InlineData(120, true, "renewed by Herald when needed", false)]
    public void Describe_AndExpiresSoon(int minutesLeft, bool renewedByHerald, string words, bool soon)
    {
        var expiresAt = Now.AddMinutes(minutesLeft);

        Assert.Equal(words, TokenExpiry.Describe(expiresAt, Now, renewedByHerald));
        Assert.Equal(soon, TokenExpiry.ExpiresSoon(expiresAt, Now, renewedByHerald));
        Assert.Equal("unknown", TokenExpiry.Describe(null, Now, renewedByHerald));
    }
}

public sealed class SqliteTokenExpiryStorageTests(SqliteDatabase database) : TokenExpiryStorageTests<SqliteDatabase>(database);

public sealed class PostgresTokenExpiryStorageTests(PostgresDatabase database) : TokenExpiryStorageTests<PostgresDatabase>(database);
