using System.Security.Cryptography;
using Herald.Accounts;
using Herald.Contents;
using Herald.Publications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Storage.Tests;

/// <summary>Stored credentials this worker cannot read, on SQLite and on PostgreSQL.</summary>
public abstract class AccountCredentialsTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : StorageDatabase
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task LoadBatch_OneAccountWrittenWithAnotherKey_HealthyAccountLoadsAndTheOtherIsUnreadable()
    {
        // Regression: the undecryptable account threw while the batch loaded, so every publication batched with it stalled.
        await using var otherKey = database.BuildServices(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var foreign = await UpsertAsync(otherKey, Account("foreign-key", "written-elsewhere"));
        var healthy = await UpsertAsync(database.Services, Account("healthy-key", "readable-token"));
        var ids = new[] { await PublicationAsync(foreign), await PublicationAsync(healthy) };

        await using var scope = database.Services.CreateAsyncScope();
        var batch = await scope.ServiceProvider.GetRequiredService<IPublicationStore>().LoadBatchAsync(ids);

        Assert.Equal(2, batch.Publications.Count);
        Assert.Null(batch.Accounts[healthy.Id].Credentials.UnreadableReason);
        Assert.Equal("readable-token", batch.Accounts[healthy.Id].Credentials["access_token"]);
        var reason = batch.Accounts[foreign.Id].Credentials.UnreadableReason;
        Assert.NotNull(reason);
        Assert.Contains("foreign-key", reason, StringComparison.Ordinal);
        Assert.Contains("HERALD_CREDENTIAL_KEY", reason, StringComparison.Ordinal);
        Assert.Equal(0, batch.Accounts[foreign.Id].Credentials.Count);
    }

    [Fact]
    public async Task UpsertAccount_StoredWithAnotherKey_ReplacesTheCredentialsWithoutReadingThem()
    {
        // Regression: re-entering the credentials failed with the same decryption error, so a lost key needed manual SQL.
        await using var otherKey = database.BuildServices(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var foreign = await UpsertAsync(otherKey, Account("re-entered", "lost-key-token"));

        var again = await UpsertAsync(database.Services, Account("re-entered", "entered-again"));

        Assert.Equal(foreign.Id, again.Id);
        await using var scope = database.Services.CreateAsyncScope();
        var loaded = await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetAccountAsync(foreign.Id);
        Assert.Null(loaded!.Credentials.UnreadableReason);
        Assert.Equal("entered-again", loaded.Credentials["access_token"]);
    }

    [Fact]
    public async Task GetAccount_TruncatedCredentials_AreUnreadableWithTheFriendlyReason()
    {
        var account = await UpsertAsync(database.Services, Account("truncated", "token"));
        await RawExecuteAsync("UPDATE accounts SET credentials = 'v1:AAAA' WHERE display_name = 'truncated'");

        await using var scope = database.Services.CreateAsyncScope();
        var loaded = await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetAccountAsync(account.Id);

        Assert.Contains("cannot be decrypted", loaded!.Credentials.UnreadableReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAccount_CredentialsCopiedFromAnotherAccount_AreUnreadable()
    {
        // Regression: without associated data, anyone who could write the table could swap two accounts' encrypted credentials.
        var victim = await UpsertAsync(database.Services, Account("victim", "victim-token"));
        await UpsertAsync(database.Services, Account("intruder", "intruder-token"));
        await RawExecuteAsync(
            "UPDATE accounts SET credentials = (SELECT credentials FROM accounts WHERE display_name = 'intruder') WHERE display_name = 'victim'");

        await using var scope = database.Services.CreateAsyncScope();
        var loaded = await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetAccountAsync(victim.Id);

        Assert.NotNull(loaded!.Credentials.UnreadableReason);
        Assert.Null(loaded.Credentials["access_token"]);
    }

    private static Account Account(string name, string token) => new()
    {
        Platform = "x",
        DisplayName = name,
        Credentials = new AccountCredentials { ["access_token"] = token },
        CreatedAt = Now,
    };

    private static async Task<Account> UpsertAsync(IServiceProvider services, Account account)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IPublicationStore>().UpsertAccountAsync(account);
    }

    private async Task<PublicationId> PublicationAsync(Account account)
    {
        await using var scope = database.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
        var content = new Content { Type = ContentType.Post, Body = $"For {account.DisplayName}", CreatedAt = Now };
        await store.AddContentAsync(content);
        var publication = Publication.Create(content.Id, account.Id, account.Platform, Now, "UTC", 3, Now);
        await store.AddPublicationAsync(publication);
        return publication.Id;
    }

    private async Task RawExecuteAsync(string sql)
    {
        await using var scope = database.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Database.ExecuteSqlRawAsync(sql);
    }
}

public sealed class SqliteAccountCredentialsTests(SqliteDatabase database) : AccountCredentialsTests<SqliteDatabase>(database);

public sealed class PostgresAccountCredentialsTests(PostgresDatabase database) : AccountCredentialsTests<PostgresDatabase>(database);
