using Herald.Storage.Queue;
using Microsoft.Data.Sqlite;

namespace Herald.Storage.Tests;

/// <summary>
/// The plans SQLite picks for the dispatcher's look at what is due next, on the embedded default. Herald runs no
/// <c>ANALYZE</c>, so SQLite plans without statistics, whatever the table holds: a plan that reads every pending
/// publication on an empty database reads every one of 100,000 as well.
/// </summary>
public sealed class SqliteQueuePlanTests : IAsyncLifetime
{
    private readonly SqliteDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task NextWake_WithoutStatistics_ReadsEachHalfFromTheFrontOfItsPartialIndex()
    {
        var plan = await PlanAsync(SqliteQueueSql.NextWake);

        Assert.Contains(plan, step => step.Contains("ix_publications_due", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.Contains("ix_publications_lease", StringComparison.Ordinal));
        // Neither half sorts what it read: each stops at the first row of its index.
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("ix_publications_status_", StringComparison.Ordinal));
    }

    private async Task<List<string>> PlanAsync(string sql)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        await using var reader = await command.ExecuteReaderAsync();
        var steps = new List<string>();
        while (await reader.ReadAsync())
        {
            steps.Add(reader.GetString(3));
        }

        return steps;
    }
}
