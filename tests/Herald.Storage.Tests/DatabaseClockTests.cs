using Herald.Storage.Queue;
using Herald.Testing;
using Npgsql;

namespace Herald.Storage.Tests;

/// <summary>
/// The database's clock as a worker reads it is never ahead of the database: a publication held for its instant
/// must not be released before it by the database's clock (nor, with PostgreSQL on the same machine, by the machine's).
/// </summary>
public sealed class DatabaseClockTests
{
    private static readonly DateTimeOffset Sent = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void OffsetFrom_AnswerReadLateInItsRoundTrip_IsNotAheadOfTheDatabase()
    {
        // Clocks that agree; the query waited 18 ms to run and came back at once (a busy machine). Half the round trip
        // taken off would put this clock 8 ms ahead of the database's.
        var sample = new ClockSample(Sent, TimeSpan.FromMilliseconds(20), Sent + TimeSpan.FromMilliseconds(18));

        var offset = DatabaseClock.OffsetFrom([sample]);

        Assert.Equal(TimeSpan.FromMilliseconds(-2), offset);
    }

    [Fact]
    public void OffsetFrom_SeveralRoundTrips_KeepsTheLargestBound()
    {
        // The database is 40 ms ahead; each round trip bounds the offset from below (its reading minus the answer's
        // arrival: 39, 39.5 and 30 ms), and the largest bound is the nearest.
        var ahead = TimeSpan.FromMilliseconds(40);
        ClockSample[] samples =
        [
            new(Sent, TimeSpan.FromMilliseconds(30), Sent + ahead + TimeSpan.FromMilliseconds(29)),
            new(Sent.AddSeconds(1), TimeSpan.FromMilliseconds(1), Sent.AddSeconds(1) + ahead + TimeSpan.FromMilliseconds(0.5)),
            new(Sent.AddSeconds(2), TimeSpan.FromMilliseconds(12), Sent.AddSeconds(2) + ahead + TimeSpan.FromMilliseconds(2)),
        ];

        var offset = DatabaseClock.OffsetFrom(samples);

        Assert.Equal(ahead - TimeSpan.FromMilliseconds(0.5), offset);
    }

    [Fact]
    public void OffsetFrom_NoRoundTrip_NamesTheRule()
    {
        var error = Assert.Throws<ArgumentException>(() => DatabaseClock.OffsetFrom([]));

        Assert.Contains("samples: give at least one round trip", error.Message);
    }

    [Fact]
    public async Task SyncAsync_OnARealPostgreSql_NeverReadsAheadOfIt()
    {
        var (database, connectionString) = await ScratchPostgres.CreateAsync("herald_clock");
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var clock = new DatabaseClock(dataSource, TimeProvider.System);
            await using var command = dataSource.CreateCommand("SELECT clock_timestamp()");
            for (var round = 0; round < 20; round++)
            {
                // The server shares this machine's clock: the offset is never above zero (the midpoint was, whenever a
                // query waited on its way out).
                Assert.True(await clock.SyncAsync() <= TimeSpan.Zero, $"round {round}: offset {clock.Offset}");

                // Nor is the clock read before a query later than the server's reading during it.
                var before = clock.GetUtcNow();
                var server = new DateTimeOffset(DateTime.SpecifyKind((DateTime)(await command.ExecuteScalarAsync())!, DateTimeKind.Utc));
                Assert.True(before <= server, $"round {round}: the clock read {before:O}, then the server {server:O} (offset {clock.Offset})");
            }
        }
        finally
        {
            await ScratchPostgres.DropAsync(database);
        }
    }
}
