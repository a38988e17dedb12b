using System.Globalization;
using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms;
using Herald.Platforms.Checks;
using Herald.Publications;
using Herald.Server.Accounts;
using Herald.Server.Dashboard.Queries;
using Herald.Storage;
using Herald.Storage.Accounts;
using Herald.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Dashboard.Tests;

/// <summary>
/// The overview's accounts that need attention, on real SQLite and real PostgreSQL: an account is listed when the
/// platform refused its credentials on its newest attempt, or its last connection test was refused; a later success
/// (an attempt or a test) answers it.
/// </summary>
public sealed class AccountAttentionTests
{
    public static TheoryData<string> Databases => ["sqlite", "postgresql"];

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RefusedCredentials_AreListed_UntilASuccessAnswersThem(string database)
    {
        await TestDatabases.WithDatabaseAsync(database, async provider =>
        {
            await using var scope = provider.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
            var tests = provider.GetRequiredService<AccountTestResults>();
            var now = DateTimeOffset.UtcNow;

            var refused = await AccountWithAttemptsAsync(store, "refused", now, 401);
            var recovered = await AccountWithAttemptsAsync(store, "recovered", now, 403, 201);
            var retested = await AccountWithAttemptsAsync(store, "retested", now, 401);
            var testedBad = await AccountWithAttemptsAsync(store, "tested bad", now);
            await AccountWithAttemptsAsync(store, "fine", now, 500, 201);
            tests.Record(retested.Id, Verdict(retested, AccountCheckVerdict.Works, now.AddMinutes(5)));
            tests.Record(testedBad.Id, Verdict(testedBad, AccountCheckVerdict.CredentialsRefused, now.AddMinutes(5)));
            var lacking = await AccountWithAttemptsAsync(store, "lacking", now);
            tests.Record(lacking.Id, Verdict(lacking, AccountCheckVerdict.Works, now.AddMinutes(6)) with
            {
                Capabilities = [new CapabilityCheck(AccountCapability.UploadImages, CapabilityAnswer.No, "the token lacks write:media") { MissingScopes = ["write:media"] }],
            });

            var listed = await scope.ServiceProvider.GetRequiredService<AccountAttentionQuery>().LoadAsync(CancellationToken.None);

            Assert.Equal(["lacking", "tested bad", "refused"], listed.Select(a => a.DisplayName));
            Assert.Contains("cannot do all Herald needs: upload images: no (lacks write:media)", listed[0].Reason, StringComparison.Ordinal);
            Assert.Contains("HTTP 401", listed.Single(a => a.Id == refused.Id).Reason, StringComparison.Ordinal);
            Assert.Contains("the last connection test was refused", listed.Single(a => a.Id == testedBad.Id).Reason, StringComparison.Ordinal);
            Assert.DoesNotContain(listed, a => a.Id == recovered.Id);
        }, services =>
        {
            services.AddHerald().AddEveryPlatform();
            services.AddSingleton<AccountTestResults>();
            services.AddScoped<AccountAttentionQuery>();
        });
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TokenExpiry_WithinAWeekOrPastAndNotRenewable_IsListedWithWhenAndWhatToDo(string database)
    {
        var now = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(now);
        await TestDatabases.WithDatabaseAsync(database, async provider =>
        {
            var soon = await AddAsync(provider, "threads", "soon", now.AddDays(3), ["access_token"]);
            var expired = await AddAsync(provider, "linkedin", "expired", now.AddDays(-1), ["access_token"]);
            await AddAsync(provider, "threads", "later", now.AddDays(30), ["access_token"]);
            await AddAsync(provider, "x", "renewable", now.AddHours(1), ["access_token", "refresh_token", "client_id"]);
            await AddAsync(provider, "devto", "unknown", null, ["api_key"]);

            var listed = await LoadAsync(provider);

            Assert.Equal(["soon", "expired"], listed.Select(a => a.DisplayName));
            Assert.Equal("its access token expires in 3 days and Herald cannot renew it", listed[0].Reason);
            Assert.Equal(now.AddDays(3), listed[0].At);
            Assert.Contains($"PATCH /api/v1/accounts/{soon.Id} with credentials and tokenExpiresAt", listed[0].Advice, StringComparison.Ordinal);
            Assert.Equal("its access token has expired and Herald cannot renew it", listed.Single(a => a.Id == expired.Id).Reason);

            // A week on, the one that expired in 30 days is not yet due; a day later it is.
            clock.Advance(TimeSpan.FromDays(22) + TimeSpan.FromHours(23));
            Assert.DoesNotContain(await LoadAsync(provider), a => a.DisplayName == "later");
            clock.Advance(TimeSpan.FromHours(1));
            Assert.Contains(await LoadAsync(provider), a => a.DisplayName == "later" && a.Reason == "its access token expires in 7 days and Herald cannot renew it");
        }, services =>
        {
            services.AddHerald().AddEveryPlatform();
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton<AccountTestResults>();
            services.AddScoped<AccountAttentionQuery>();
        });
    }

    private static async Task<IReadOnlyList<AccountAttention>> LoadAsync(IServiceProvider provider)
    {
        await using var scope = provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccountAttentionQuery>().LoadAsync(CancellationToken.None);
    }

    /// <summary>An account added as the API adds one, with <paramref name="expiresAt"/> stated (or not).</summary>
    private static async Task<Account> AddAsync(IServiceProvider provider, string platform, string name, DateTimeOffset? expiresAt, string[] keys)
    {
        await using var scope = provider.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AccountDirectory>().AddAsync(
            new AccountDraft(platform, name, keys.ToDictionary(k => k, k => $"{k}-value"), null, null, expiresAt?.ToString("O", CultureInfo.InvariantCulture)),
            CancellationToken.None);
        Assert.True(result.Change == AccountChange.Done, string.Join("; ", result.Problems));
        return result.Account!;
    }

    private static AccountTestResponse Verdict(Account account, AccountCheckVerdict verdict, DateTimeOffset at) =>
        new(account.Id.ToString(), account.Platform, verdict, $"{verdict} in the test", null, null, at);

    /// <summary>A devto account with one publication whose attempts answered <paramref name="statuses"/>, in order.</summary>
    private static async Task<Account> AccountWithAttemptsAsync(IPublicationStore store, string name, DateTimeOffset now, params int[] statuses)
    {
        var account = await store.UpsertAccountAsync(new Account
        {
            Platform = "devto",
            DisplayName = name,
            Credentials = new AccountCredentials(new Dictionary<string, string> { ["api_key"] = "k" }),
            CreatedAt = now,
        });
        var content = new Content { Title = $"For {name}", Body = "Body." };
        var publication = Publication.Create(content.Id, account.Id, "devto", now, "UTC", 3, now);
        await store.AddScheduledAsync([content], 1, _ => publication, keepTracked: false);
        for (var i = 0; i < statuses.Length; i++)
        {
            var started = now.AddSeconds(i * 10);
            await store.AddAttemptAsync(new Attempt
            {
                PublicationId = publication.Id,
                AccountId = account.Id,
                Number = i + 1,
                StartedAt = started,
                EndedAt = started.AddSeconds(1),
                Outcome = statuses[i] < 300 ? PublishOutcomeKind.Published : PublishOutcomeKind.Permanent,
                HttpStatus = statuses[i],
                Error = statuses[i] < 300 ? null : $"HTTP {statuses[i]}",
            });
        }

        return account;
    }
}
