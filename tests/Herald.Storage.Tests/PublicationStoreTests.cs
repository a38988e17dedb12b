using System.Data.Common;
using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms;
using Herald.Publications;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Storage.Tests;

/// <summary>The storage suite; it runs once on SQLite and once on PostgreSQL.</summary>
public abstract class PublicationStoreTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>
    where TDatabase : StorageDatabase
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Content_RoundTrip_KeepsEveryField()
    {
        var content = new Content
        {
            Type = ContentType.Article,
            Title = "Round trip ✓",
            Body = "Body with emoji 🚀 and\nlines.",
            Author = "Herald",
            Tags = ["dotnet", "C#"],
            Description = "A description.",
            CanonicalUrl = new Uri("https://blog.example.com/round-trip"),
            CoverImage = new Uri("https://blog.example.com/cover.png"),
            Series = "Series",
            Language = "en",
            Thread = true,
            NumberThreadParts = false,
            Overrides = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["devto"] = new Dictionary<string, string> { ["title"] = "Dev.to title" },
            },
            CreatedAt = Now,
        };
        await WithStoreAsync(store => store.AddContentAsync(content));

        await using var scope = database.Services.CreateAsyncScope();
        var loaded = await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Contents.SingleAsync(c => c.Id == content.Id);

        Assert.Equal(content.Title, loaded.Title);
        Assert.Equal(content.Body, loaded.Body);
        Assert.Equal(content.Author, loaded.Author);
        Assert.Equal(content.Tags, loaded.Tags);
        Assert.Equal(content.Description, loaded.Description);
        Assert.Equal(content.CanonicalUrl, loaded.CanonicalUrl);
        Assert.Equal(content.CoverImage, loaded.CoverImage);
        Assert.Equal(content.Series, loaded.Series);
        Assert.Equal(content.Language, loaded.Language);
        Assert.True(loaded.Thread);
        Assert.False(loaded.NumberThreadParts);
        Assert.Equal("Dev.to title", loaded.OverrideFor("devto", "title"));
        Assert.Equal(Now, loaded.CreatedAt);
    }

    [Fact]
    public async Task Account_RoundTrip_DecryptsCredentialsAndKeepsSettings()
    {
        var account = NewAccount("round-trip");
        await WithStoreAsync(store => store.UpsertAccountAsync(account));

        await using var scope = database.Services.CreateAsyncScope();
        var loaded = await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Accounts.SingleAsync(a => a.Id == account.Id);

        Assert.Equal("devto", loaded.Platform);
        Assert.Equal("secret-api-key-value", loaded.Credentials["api_key"]);
        Assert.Equal("false", loaded.Setting("published"));
        Assert.Equal(new Uri("http://127.0.0.1:5980/devto/api"), loaded.BaseUrl);
    }

    [Fact]
    public async Task UpsertAccount_SameConfiguredCredentialsAfterARenewal_KeepsTheRenewedOnes()
    {
        // Regression: every CLI run upserted the configured (spent) tokens over the ones the platform had renewed.
        await WithStoreAsync(store => store.UpsertAccountAsync(ConfiguredAccount("renewal", "configured-token")));
        var stored = await WithStoreAsync(store => store.UpsertAccountAsync(ConfiguredAccount("renewal", "configured-token")));
        var renewed = new AccountCredentials(stored.Credentials) { ["access_token"] = "renewed-token" };
        await database.Services.GetRequiredService<IAccountCredentialsStore>().SaveCredentialsAsync(stored.Id, renewed);

        var again = await WithStoreAsync(store => store.UpsertAccountAsync(ConfiguredAccount("renewal", "configured-token")));

        Assert.Equal("renewed-token", again.Credentials["access_token"]);
    }

    [Fact]
    public async Task UpsertAccount_NewConfiguredCredentials_ReplaceTheStoredOnes()
    {
        var stored = await WithStoreAsync(store => store.UpsertAccountAsync(ConfiguredAccount("rotated", "first-token")));
        var renewed = new AccountCredentials(stored.Credentials) { ["access_token"] = "renewed-token" };
        await database.Services.GetRequiredService<IAccountCredentialsStore>().SaveCredentialsAsync(stored.Id, renewed);

        var again = await WithStoreAsync(store => store.UpsertAccountAsync(ConfiguredAccount("rotated", "second-token")));

        Assert.Equal("second-token", again.Credentials["access_token"]);
    }

    private static Account ConfiguredAccount(string name, string token) => new()
    {
        Platform = "x",
        DisplayName = name,
        Credentials = new AccountCredentials { ["access_token"] = token, ["refresh_token"] = "refresh" },
        CreatedAt = Now,
    };

    [Fact]
    public async Task SaveCredentials_RenewedTokens_ReplaceTheStoredOnes()
    {
        var account = NewAccount("renewed");
        await WithStoreAsync(store => store.UpsertAccountAsync(account));
        var credentialsStore = database.Services.GetRequiredService<IAccountCredentialsStore>();

        await credentialsStore.SaveCredentialsAsync(account.Id, new AccountCredentials { ["access_token"] = "new-access", ["refresh_token"] = "new-refresh" });

        await using var scope = database.Services.CreateAsyncScope();
        var loaded = await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Accounts.SingleAsync(a => a.Id == account.Id);
        Assert.Equal("new-access", loaded.Credentials["access_token"]);
        Assert.Equal("new-refresh", loaded.Credentials["refresh_token"]);
        Assert.Null(loaded.Credentials["api_key"]);
    }

    [Fact]
    public async Task Account_Credentials_AreEncryptedAtRest()
    {
        var account = NewAccount("encrypted");
        await WithStoreAsync(store => store.UpsertAccountAsync(account));

        var raw = await RawScalarAsync($"SELECT credentials FROM accounts WHERE display_name = 'encrypted'");

        Assert.StartsWith("v2:", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-api-key-value", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("api_key", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Account_ReadWithAnotherKey_IsUnreadableWithAClearReason()
    {
        var account = await WithStoreAsync(store => store.UpsertAccountAsync(NewAccount("other-key")));
        await using var services = database.BuildServices(Convert.ToBase64String(new byte[32]));
        await using var scope = services.CreateAsyncScope();

        var loaded = await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetAccountAsync(account.Id);

        Assert.Contains("cannot be decrypted with this worker's key", loaded!.Credentials.UnreadableReason, StringComparison.Ordinal);
        Assert.Equal(0, loaded.Credentials.Count);
    }

    [Fact]
    public async Task UpsertAccount_SamePlatformAndName_UpdatesInPlace()
    {
        var first = await WithStoreAsync(store => store.UpsertAccountAsync(NewAccount("upsert")));
        var second = NewAccount("upsert");
        second.Credentials["api_key"] = "rotated-key";

        var stored = await WithStoreAsync(store => store.UpsertAccountAsync(second));

        Assert.Equal(first.Id, stored.Id);
        await using var scope = database.Services.CreateAsyncScope();
        var loaded = await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Accounts.SingleAsync(a => a.Id == first.Id);
        Assert.Equal("rotated-key", loaded.Credentials["api_key"]);
    }

    [Fact]
    public async Task Publication_ThroughItsLife_RoundTripsEveryFieldAndAttempts()
    {
        var (content, account) = await SeedAsync("life");
        var berlin = new DateTimeOffset(2026, 3, 29, 9, 0, 0, TimeSpan.FromHours(2));
        var publication = Publication.Create(content.Id, account.Id, "devto", berlin, "Europe/Berlin", 3, Now);

        await using (var scope = database.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
            await store.AddPublicationAsync(publication);
            publication.BeginAttempt("worker-a", Now.AddMinutes(5), Now);
            publication.SetPayload("{\"article\":{}}", Now);
            await store.SavePublicationAsync(publication);
            publication.ScheduleRetry(Now.AddMinutes(1), PublishOutcomeKind.Transient, "503 from Dev.to", Now);
            await store.AddAttemptAsync(new Attempt
            {
                PublicationId = publication.Id,
                AccountId = publication.AccountId,
                Number = 1,
                StartedAt = Now,
                EndedAt = Now.AddSeconds(2),
                Outcome = PublishOutcomeKind.Transient,
                HttpStatus = 503,
                Error = "503 from Dev.to",
            });
            await store.SavePublicationAsync(publication);
            publication.BeginAttempt("worker-b", Now.AddMinutes(6), Now.AddMinutes(1));
            publication.ConfirmThreadPart("part-1", Now.AddMinutes(1));
            publication.ConfirmThreadPart("part-2", Now.AddMinutes(1));
            publication.MarkPublished("42", new Uri("https://dev.to/herald/life-42"), Now.AddMinutes(1));
            await store.AddAttemptAsync(new Attempt
            {
                PublicationId = publication.Id,
                AccountId = publication.AccountId,
                Number = 2,
                StartedAt = Now.AddMinutes(1),
                EndedAt = Now.AddMinutes(1).AddSeconds(1),
                Outcome = PublishOutcomeKind.Published,
                HttpStatus = 201,
            });
            await store.SavePublicationAsync(publication);
        }

        await using var read = database.Services.CreateAsyncScope();
        var readStore = read.ServiceProvider.GetRequiredService<IPublicationStore>();
        var loaded = await readStore.GetPublicationAsync(publication.Id);
        Assert.NotNull(loaded);
        Assert.Equal(PublicationStatus.Published, loaded.Status);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 7, 0, 0, TimeSpan.Zero), loaded.ScheduledAt);
        Assert.Equal("Europe/Berlin", loaded.TimeZone);
        Assert.Equal(2, loaded.AttemptCount);
        Assert.Equal(1, loaded.RetryCount);
        Assert.Equal(3, loaded.MaxRetries);
        Assert.Equal("42", loaded.ExternalId);
        Assert.Equal(new Uri("https://dev.to/herald/life-42"), loaded.Url);
        Assert.Equal(Now.AddMinutes(1), loaded.PublishedAt);
        Assert.Equal(["part-1", "part-2"], loaded.ThreadPartIds);
        Assert.Equal("{\"article\":{}}", loaded.Payload);
        Assert.Equal(publication.IdempotencyKey, loaded.IdempotencyKey);
        Assert.Null(loaded.LeaseOwner);
        Assert.Null(loaded.LastError);
        var attempts = await readStore.GetAttemptsAsync(publication.Id);
        Assert.Equal([1, 2], attempts.Select(a => a.Number));
        Assert.All(attempts, a => Assert.Equal(account.Id, a.AccountId));
        Assert.Equal(PublishOutcomeKind.Transient, attempts[0].Outcome);
        Assert.Equal(503, attempts[0].HttpStatus);
        Assert.Equal("503 from Dev.to", attempts[0].Error);
        Assert.Equal(TimeSpan.FromSeconds(2), attempts[0].Duration);
    }

    [Fact]
    public async Task SaveOutcome_StoresTheNewStateAndTheAttemptTogether()
    {
        var (content, account) = await SeedAsync("outcome");
        var publication = Publication.Create(content.Id, account.Id, "devto", Now, "UTC", 3, Now);
        await WithStoreAsync(store => store.AddPublicationAsync(publication));

        await using (var scope = database.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
            var loaded = (await store.GetPublicationAsync(publication.Id))!;
            loaded.BeginAttempt("worker", Now.AddMinutes(5), Now);
            loaded.ConfirmThreadPart("part-1", Now);
            await store.SavePublicationAsync(loaded);
            loaded.MarkPublished("42", new Uri("https://dev.to/herald/outcome-42"), Now.AddSeconds(2));
            await store.SaveOutcomeAsync(loaded, new Attempt
            {
                PublicationId = loaded.Id,
                AccountId = loaded.AccountId,
                Number = 1,
                StartedAt = Now,
                EndedAt = Now.AddSeconds(2),
                Outcome = PublishOutcomeKind.Published,
                HttpStatus = 201,
            });

            // The context holds what was written: a further change saves from there.
            loaded.ConfirmThreadPart("part-2", Now.AddSeconds(3));
            await store.SavePublicationAsync(loaded);
        }

        await using var check = database.Services.CreateAsyncScope();
        var readStore = check.ServiceProvider.GetRequiredService<IPublicationStore>();
        var stored = (await readStore.GetPublicationAsync(publication.Id))!;
        Assert.Equal(PublicationStatus.Published, stored.Status);
        Assert.Equal("42", stored.ExternalId);
        Assert.Equal(new Uri("https://dev.to/herald/outcome-42"), stored.Url);
        Assert.Equal(Now.AddSeconds(2), stored.PublishedAt);
        Assert.Equal(["part-1", "part-2"], stored.ThreadPartIds);
        Assert.Null(stored.LeaseOwner);
        var attempt = Assert.Single(await readStore.GetAttemptsAsync(publication.Id));
        Assert.Equal(PublishOutcomeKind.Published, attempt.Outcome);
        Assert.Equal(201, attempt.HttpStatus);
        Assert.Equal(TimeSpan.FromSeconds(2), attempt.Duration);
    }

    [Fact]
    public async Task SaveOutcome_ChangedByAnotherWriter_WritesNeitherStateNorAttempt()
    {
        var (content, account) = await SeedAsync("outcome-conflict");
        var publication = Publication.Create(content.Id, account.Id, "devto", Now, "UTC", 3, Now);
        await WithStoreAsync(store => store.AddPublicationAsync(publication));
        await using var first = database.Services.CreateAsyncScope();
        await using var second = database.Services.CreateAsyncScope();
        var storeA = first.ServiceProvider.GetRequiredService<IPublicationStore>();
        var storeB = second.ServiceProvider.GetRequiredService<IPublicationStore>();
        var copyA = (await storeA.GetPublicationAsync(publication.Id))!;
        var copyB = (await storeB.GetPublicationAsync(publication.Id))!;
        copyA.BeginAttempt("worker-a", Now.AddMinutes(5), Now);
        await storeA.SavePublicationAsync(copyA);
        copyB.BeginAttempt("worker-b", Now.AddMinutes(5), Now);
        copyB.MarkPublished("7", null, Now);

        await Assert.ThrowsAsync<PublicationConflictException>(() => storeB.SaveOutcomeAsync(copyB, new Attempt
        {
            PublicationId = copyB.Id,
            AccountId = copyB.AccountId,
            Number = 1,
            StartedAt = Now,
            EndedAt = Now,
            Outcome = PublishOutcomeKind.Published,
        }));

        await using var check = database.Services.CreateAsyncScope();
        var readStore = check.ServiceProvider.GetRequiredService<IPublicationStore>();
        Assert.Equal(PublicationStatus.Publishing, (await readStore.GetPublicationAsync(publication.Id))!.Status);
        Assert.Empty(await readStore.GetAttemptsAsync(publication.Id));
    }

    [Fact]
    public async Task SavePublication_ChangedByAnotherWriter_IsRefused()
    {
        var (content, account) = await SeedAsync("conflict");
        var publication = Publication.Create(content.Id, account.Id, "devto", Now, "UTC", 3, Now);
        await WithStoreAsync(store => store.AddPublicationAsync(publication));

        await using var first = database.Services.CreateAsyncScope();
        await using var second = database.Services.CreateAsyncScope();
        var storeA = first.ServiceProvider.GetRequiredService<IPublicationStore>();
        var storeB = second.ServiceProvider.GetRequiredService<IPublicationStore>();
        var copyA = (await storeA.GetPublicationAsync(publication.Id))!;
        var copyB = (await storeB.GetPublicationAsync(publication.Id))!;
        copyA.BeginAttempt("worker-a", Now.AddMinutes(5), Now);
        await storeA.SavePublicationAsync(copyA);
        copyB.BeginAttempt("worker-b", Now.AddMinutes(5), Now);

        await Assert.ThrowsAsync<PublicationConflictException>(() => storeB.SavePublicationAsync(copyB));

        await using var check = database.Services.CreateAsyncScope();
        var stored = await check.ServiceProvider.GetRequiredService<IPublicationStore>().GetPublicationAsync(publication.Id);
        Assert.Equal("worker-a", stored!.LeaseOwner);
    }

    /// <summary>
    /// Many publications are made as their rows are written (on PostgreSQL, streamed into a binary COPY): one that
    /// cannot be made halfway through leaves nothing stored — no content, no publication — and the store still works.
    /// </summary>
    [Fact]
    public async Task AddScheduled_MakingAPublicationFailsHalfway_StoresNothing()
    {
        var (_, account) = await SeedAsync("made-halfway");
        var marker = $"halfway-{Guid.NewGuid():N}";
        var contents = Enumerable.Range(0, 300).Select(i => new Content { Title = $"{marker} {i}", Body = "Body", CreatedAt = Now }).ToList();
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => WithStoreAsync(store => store.AddScheduledAsync(
            contents,
            contents.Count,
            i => i == 250
                ? throw new InvalidOperationException("cannot be made")
                : Publication.Create(contents[i].Id, account.Id, "devto", Now.AddDays(1), "UTC", 3, Now),
            keepTracked: false)));

        Assert.Equal("cannot be made", thrown.Message);
        // Publications cannot outlive their contents (a foreign key): none of the 300 contents means none of theirs.
        Assert.Equal("0", await RawScalarAsync($"SELECT CAST(COUNT(*) AS TEXT) FROM contents WHERE title LIKE '{marker}%'"));
        var later = new Content { Title = $"{marker} later", Body = "Body", CreatedAt = Now };
        var stored = await WithStoreAsync(store => store.AddScheduledAsync(
            [later], 1, _ => Publication.Create(later.Id, account.Id, "devto", Now.AddDays(1), "UTC", 3, Now), keepTracked: false));
        Assert.NotNull(await WithStoreAsync(store => store.GetPublicationAsync(Assert.Single(stored).Id)));
    }

    /// <summary>A second row with the same key is refused: by a unique index on SQLite, by the check that the key is made from the row's id on PostgreSQL.</summary>
    [Fact]
    public async Task IdempotencyKey_IsUnique()
    {
        var (content, account) = await SeedAsync("unique-key");
        var publication = Publication.Create(content.Id, account.Id, "devto", Now, "UTC", 3, Now);
        await WithStoreAsync(store => store.AddPublicationAsync(publication));

        var ex = await Record.ExceptionAsync(() => RawExecuteAsync(
            "INSERT INTO publications (id, content_id, account_id, platform, status, scheduled_at, time_zone, attempt_count, retry_count, max_retries, " +
            "idempotency_key, thread_part_ids, created_at, updated_at, version) " +
            $"SELECT {NewIdSql()}, content_id, account_id, platform, status, scheduled_at, time_zone, 0, 0, 3, idempotency_key, '[]', created_at, updated_at, 0 " +
            $"FROM publications WHERE idempotency_key = '{publication.IdempotencyKey}'"));

        if (database.Provider == DatabaseProvider.Sqlite)
        {
            // SQLITE_CONSTRAINT_UNIQUE.
            Assert.Equal(2067, Assert.IsType<SqliteException>(ex).SqliteExtendedErrorCode);
        }
        else
        {
            // check_violation: the copied key is not made from the new row's id.
            Assert.Equal("23514", Assert.IsAssignableFrom<DbException>(ex).SqlState);
        }
    }

    [Fact]
    public async Task DueQuery_ComparesAndOrdersInstantsInTheDatabase()
    {
        var (content, account) = await SeedAsync("due");
        var marker = $"due{Guid.NewGuid():N}"[..24];
        var times = new[] { Now.AddMinutes(3), Now.AddMinutes(-2), Now.AddMinutes(-5), Now };
        await using (var scope = database.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
            foreach (var time in times)
            {
                await store.AddPublicationAsync(Publication.Create(content.Id, account.Id, marker, time, "UTC", 3, Now));
            }
        }

        await using var read = database.Services.CreateAsyncScope();
        var db = read.ServiceProvider.GetRequiredService<HeraldDbContext>();
        var due = await db.Publications
            .Where(p => p.Platform == marker && p.Status == PublicationStatus.Scheduled && p.NextAttemptAt <= Now)
            .OrderBy(p => p.NextAttemptAt)
            .Select(p => p.NextAttemptAt)
            .ToListAsync();

        Assert.Equal([Now.AddMinutes(-5), Now.AddMinutes(-2), Now], due);
    }

    [Fact]
    public async Task ListPublications_FiltersByStatus()
    {
        var (content, account) = await SeedAsync("list");
        var waiting = Publication.Create(content.Id, account.Id, "linkedin", Now, "UTC", 3, Now);
        waiting.BeginAttempt("w", Now.AddMinutes(5), Now);
        waiting.AwaitManualAction("draft", Now);
        await WithStoreAsync(store => store.AddPublicationAsync(waiting));

        var listed = await WithStoreAsync(store => store.ListPublicationsAsync(PublicationStatus.AwaitingManualAction, 1000));

        Assert.Contains(listed, p => p.Id == waiting.Id);
        Assert.All(listed, p => Assert.Equal(PublicationStatus.AwaitingManualAction, p.Status));
    }

    [Fact]
    public async Task Migrate_SecondTime_IsANoOp()
    {
        await database.Services.MigrateHeraldDatabaseAsync();

        await using var scope = database.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    private async Task<(Content Content, Account Account)> SeedAsync(string name)
    {
        var content = new Content { Title = name, Body = "Body", CreatedAt = Now };
        var account = NewAccount(name);
        await WithStoreAsync(store => store.AddContentAsync(content));
        var stored = await WithStoreAsync(store => store.UpsertAccountAsync(account));
        return (content, stored);
    }

    private static Account NewAccount(string name) => new()
    {
        Platform = "devto",
        DisplayName = name,
        BaseUrl = new Uri("http://127.0.0.1:5980/devto/api"),
        Credentials = new AccountCredentials { ["api_key"] = "secret-api-key-value" },
        Settings = new Dictionary<string, string> { ["published"] = "false" },
        CreatedAt = Now,
    };

    private async Task WithStoreAsync(Func<IPublicationStore, Task> action)
    {
        await using var scope = database.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<IPublicationStore>());
    }

    private async Task<T> WithStoreAsync<T>(Func<IPublicationStore, Task<T>> action)
    {
        await using var scope = database.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<IPublicationStore>());
    }

    private async Task<string> RawScalarAsync(string sql)
    {
        await using var scope = database.Services.CreateAsyncScope();
        var connection = scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task RawExecuteAsync(string sql)
    {
        await using var scope = database.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Database.ExecuteSqlRawAsync(sql);
    }

    private string NewIdSql() => database.Provider == DatabaseProvider.Sqlite
        ? $"'{Guid.NewGuid().ToString().ToUpperInvariant()}'"
        : $"'{Guid.NewGuid()}'::uuid";
}

public sealed class SqlitePublicationStoreTests(SqliteDatabase database) : PublicationStoreTests<SqliteDatabase>(database);

public sealed class PostgresPublicationStoreTests(PostgresDatabase database) : PublicationStoreTests<PostgresDatabase>(database);
