using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Herald.Storage.Queue;
using Herald.Testing;
using Herald.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
            var received = await ListenAsync(listener);

            var channel = new PostgresDueChannel(dataSource, new DueSignal(), NullLogger<PostgresDueChannel>.Instance);
            var due = new DateTimeOffset(2026, 12, 24, 9, 0, 0, TimeSpan.FromHours(1));
            await channel.NotifyAsync(due);
            Assert.Equal(due, PostgresDueChannel.DueAt(await ReceiveAsync(listener, received)));
        }
        finally
        {
            await ScratchPostgres.DropAsync(database);
        }
    }

    [Fact]
    public async Task Dispose_ContainerDisposedSynchronously_SendsWhatIsPending()
    {
        var (database, connectionString) = await ScratchPostgres.CreateAsync("herald_due");
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await using var listener = await dataSource.OpenConnectionAsync();
            var received = await ListenAsync(listener);

            // Registered as Herald registers it: one singleton behind both interfaces, owned by the container.
            var services = new ServiceCollection()
                .AddSingleton(dataSource)
                .AddSingleton<DueSignal>()
                .AddSingleton<ILogger<PostgresDueChannel>>(NullLogger<PostgresDueChannel>.Instance)
                .AddSingleton<PostgresDueChannel>()
                .AddSingleton<IDueNotifier>(sp => sp.GetRequiredService<PostgresDueChannel>())
                .BuildServiceProvider();
            await services.GetRequiredService<IDueNotifier>().NotifyAsync();

            services.Dispose();

            Assert.Null(PostgresDueChannel.DueAt(await ReceiveAsync(listener, received)));
        }
        finally
        {
            await ScratchPostgres.DropAsync(database);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispose_PostgresDown_LogsTheMissedNotificationAndLaterNotifyDoesNothing(bool synchronously)
    {
        var logger = new RecordingLogger();
        await using var dataSource = NpgsqlDataSource.Create(
            $"Host=127.0.0.1;Port={ClosedPort()};Username=herald;Password=herald;Database=herald;Timeout=30");
        var signal = new DueSignal();
        var channel = new PostgresDueChannel(dataSource, signal, logger);
        await channel.NotifyAsync();

        await DisposeAsync(channel, synchronously).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Contains(3003, logger.EventIds);
        Assert.True(await signal.WaitAsync(TimeSpan.Zero, TimeProvider.System)); // the wake-up asked for before disposal
        await channel.NotifyAsync();
        Assert.False(await signal.WaitAsync(TimeSpan.Zero, TimeProvider.System));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispose_PostgresNotAnswering_GivesUpAfterTheFlushTimeoutAndLogsIt(bool synchronously)
    {
        // Accepts connections (the kernel does, from the backlog) and never answers: a hung server.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var logger = new RecordingLogger();
        await using var dataSource = NpgsqlDataSource.Create(
            $"Host=127.0.0.1;Port={((IPEndPoint)silent.LocalEndpoint).Port};Username=herald;Password=herald;Database=herald;Timeout=1024;Pooling=false");
        var channel = new PostgresDueChannel(dataSource, new DueSignal(), logger) { FlushTimeout = TimeSpan.FromMilliseconds(200) };
        await channel.NotifyAsync();

        await DisposeAsync(channel, synchronously).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Contains(3004, logger.EventIds);
    }

    /// <summary>Listens on <paramref name="listener"/>; the task completes with the first notification's payload.</summary>
    private static async Task<TaskCompletionSource<string>> ListenAsync(NpgsqlConnection listener)
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Notification += (_, e) => received.TrySetResult(e.Payload);
        await using var listen = new NpgsqlCommand($"LISTEN {PostgresDueChannel.Channel}", listener);
        await listen.ExecuteNonQueryAsync();
        return received;
    }

    private static async Task<string> ReceiveAsync(NpgsqlConnection listener, TaskCompletionSource<string> received)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!received.Task.IsCompleted)
        {
            await listener.WaitAsync(deadline.Token);
        }

        return await received.Task;
    }

    private static Task DisposeAsync(PostgresDueChannel channel, bool synchronously) =>
        synchronously ? Task.Run(channel.Dispose) : channel.DisposeAsync().AsTask();

    /// <summary>A loopback port nothing listens on: connecting is refused at once.</summary>
    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>Keeps the event id of every entry logged.</summary>
    private sealed class RecordingLogger : ILogger<PostgresDueChannel>
    {
        private readonly ConcurrentQueue<int> _eventIds = new();

        public IReadOnlyCollection<int> EventIds => _eventIds;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _eventIds.Enqueue(eventId.Id);
    }

    [Theory]
    [InlineData("")] // a worker of an earlier version, or a change of unknown due time
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("99999999999999999999999")]
    public void DueAt_PayloadWithoutAReadableDueTime_IsNullSoEveryListenerWakes(string payload) =>
        Assert.Null(PostgresDueChannel.DueAt(payload));
}
