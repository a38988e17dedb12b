using System.Text.RegularExpressions;
using Herald.Contents;
using Herald.Storage.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Herald.Storage.Tests;

/// <summary>
/// The plans PostgreSQL keeps for Herald's hot statements. Npgsql prepares them (Max Auto Prepare), and after a few
/// runs PostgreSQL may keep one generic plan, made without the parameters' values and from the statistics of that
/// moment — on a new install, tables it believes nearly empty. These tests ask for that generic plan on a freshly
/// migrated database and check that it walks an index made for the question, not every row: such a plan is kept while
/// the table grows, and a scan of every publication on every call is what a user scheduling thousands of posts, or a
/// worker with a burst in flight, would pay.
/// </summary>
public sealed partial class GenericPlanTests : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task RepostGuard_GenericPlanOnEmptyTables_ProbesTheContentAccountIndex()
    {
        await using var scope = _database.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        var sql = new PostgresScheduleAtOnce(db).Earlier(command, new Content { Title = "t", Body = "b" }, [Guid.NewGuid()]);

        // Its parameters, in the order the query adds them: the accounts, the statuses that do not count, the fingerprint.
        var plan = await GenericPlanAsync(sql, "uuid[], text[], text", $"ARRAY['{Guid.NewGuid()}']::uuid[], ARRAY['Failed'], 'x'");

        Assert.Contains("ix_publications_content_account", plan);
        Assert.DoesNotContain("Seq Scan on publications", plan);
    }

    [Fact]
    public async Task ExpiredLeaseClaim_GenericPlanWhenNothingIsLeased_WalksTheLeaseIndex()
    {
        // As on a running install: the statistics know thousands of publications, none of them leased.
        await SeedPublishedAsync(2_000);
        var plan = await GenericPlanAsync(
            PostgresQueueSql.ClaimRecovered,
            "timestamptz, int, text, timestamptz, text",
            "now(), 250, 'claim-x', now(), 'lost'",
            "now", "limit", "token", "lease", "lost");

        // The listing indexes that also start with the status would read every leased row — a whole burst in flight —
        // to find the few whose lease ended.
        Assert.Contains("ix_publications_lease", plan);
        Assert.DoesNotContain("ix_publications_status_", plan);
        Assert.DoesNotContain("Seq Scan on publications", plan);
    }

    [Fact]
    public async Task DueClaim_GenericPlanOnEmptyTables_WalksTheDueIndex()
    {
        var plan = await GenericPlanAsync(
            PostgresQueueSql.ClaimFresh,
            "timestamptz, int, text, timestamptz, timestamptz",
            "now(), 250, 'claim-x', now(), now()",
            "now", "limit", "token", "lease", "due_by");

        Assert.Contains("ix_publications_due", plan);
        Assert.DoesNotContain("Seq Scan on publications", plan);
    }

    /// <summary><paramref name="count"/> published articles on one account, written directly, then analysed.</summary>
    private async Task SeedPublishedAsync(int count)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var seed = new NpgsqlCommand(
            $$"""
            INSERT INTO accounts (id, platform, display_name, credentials, settings, created_at)
            VALUES ('{{Account}}', 'devto', 'seed', '', '{}', now());
            WITH c AS (
                INSERT INTO contents (id, type, title, body, tags, overrides, created_at)
                SELECT gen_random_uuid(), 'Article', 'Seed', 'Body', '[]', '{}', now() FROM generate_series(1, {{count}})
                RETURNING id)
            INSERT INTO publications (id, content_id, account_id, platform, status, scheduled_at, time_zone, attempt_count,
                retry_count, max_retries, idempotency_key, thread_part_ids, created_at, updated_at, version)
            SELECT p.id, p.content_id, '{{Account}}', 'devto', 'Published', now(), 'UTC', 1, 0, 3, 'herald-' || replace(p.id::text, '-', ''), '[]', now(), now(), 1
            FROM (SELECT gen_random_uuid() AS id, c.id AS content_id FROM c) p;
            ANALYZE contents;
            ANALYZE publications;
            """,
            connection);
        await seed.ExecuteNonQueryAsync();
    }

    private static readonly Guid Account = Guid.NewGuid();

    /// <summary>
    /// The generic plan of <paramref name="sql"/>, its parameters (named, in the order given; else <c>@p0</c>, <c>@p1</c>
    /// …) of <paramref name="types"/>, shown for <paramref name="values"/>.
    /// </summary>
    private async Task<string> GenericPlanAsync(string sql, string types, string values, params string[] names)
    {
        var positional = names.Length == 0
            ? Numbered().Replace(sql, m => "$" + (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1))
            : names.Select((name, i) => (name, i)).Aggregate(sql, (text, p) => Regex.Replace(text, $@"@{p.name}\b", "$" + (p.i + 1)));
        await using var connection = new NpgsqlConnection(_database.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using (var prepare = new NpgsqlCommand($"SET plan_cache_mode = force_generic_plan; PREPARE planned ({types}) AS {positional}", connection))
        {
            await prepare.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand($"EXPLAIN EXECUTE planned ({values})", connection);
        await using var reader = await explain.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"@p(\d+)\b")]
    private static partial Regex Numbered();
}
