using Herald.Storage.Queue;
using Herald.Testing;
using Herald.Workers;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Herald.Storage.Tests;

/// <summary>
/// The cross-process wake-up on a real PostgreSQL: a notification carries the earliest due time of what changed,
/// so that listeners planning to wake by then stay asleep; one they cannot read wakes them.
/// </summary>
public sealed class PostgresDueChannelTests
{
    [Fact]
    public async Task Notify_WithDueTime_SendsItToListenersAsThePayload()
    {
        var (database, connectionString) = await ScratchPostgres.CreateAsync("herald_due");
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await using var listener = await dataSource.OpenConnectionAsync();
            var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            listener.Notification += (_, e) => received.TrySetResult(e.Payload);
            await using (var listen = new NpgsqlCommand($"LISTEN {PostgresDueChannel.Channel}", listener))
            {
                await listen.ExecuteNonQueryAsync();
            }

            var channel = new PostgresDueChannel(dataSource, new DueSignal(), NullLogger<PostgresDueChannel>.Instance);
            var due = new DateTimeOffset(2026, 12, 24, 9, 0, 0, TimeSpan.FromHours(1));
            await channel.NotifyAsync(due);
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            while (!received.Task.IsCompleted)
            {
                await listener.WaitAsync(deadline.Token);
            }

            Assert.Equal(due, PostgresDueChannel.DueAt(await received.Task));
        }
        finally
        {
            await ScratchPostgres.DropAsync(database);
        }
    }

    [Theory]
    [InlineData("")] // a worker of an earlier version, or a change of unknown due time
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("99999999999999999999999")]
    public void DueAt_PayloadWithoutAReadableDueTime_IsNullSoEveryListenerWakes(string payload) =>
        Assert.Null(PostgresDueChannel.DueAt(payload));
}
