using System.Globalization;
using Herald.Workers;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Herald.Storage.Queue;

/// <summary>
/// Wakes dispatchers in every process: <see cref="NotifyAsync"/> signals this process's dispatcher at once and has
/// <c>NOTIFY herald_due</c> sent; <see cref="ListenAsync"/> keeps a dedicated connection on <c>LISTEN herald_due</c>
/// and signals this process's dispatcher for every notification.
/// </summary>
/// <remarks>
/// Notifications are sent by one pump, off the caller's path: a caller never waits for a round trip it does not need,
/// and a burst of schedule calls becomes a few notifications, each carrying the earliest due time asked for since
/// the last one. Disposing (the host stopping) sends what is still pending, so a CLI run that scheduled and exits
/// still tells the workers — but waits for it at most <see cref="FlushTimeout"/>: with PostgreSQL down or not
/// answering, it logs that and lets the host stop (the workers find the change at their next poll). Disposing
/// works synchronously too (a container disposed with <c>Dispose()</c>). After it, <see cref="NotifyAsync"/> does
/// nothing: the host is stopping, what the caller stored stays stored, and the workers find it at their next poll
/// (a worker finishing a batch during shutdown must not fail for a wake-up).
/// </remarks>
internal sealed class PostgresDueChannel(NpgsqlDataSource dataSource, DueSignal signal, ILogger<PostgresDueChannel> logger)
    : IDueNotifier, IDueListener, IAsyncDisposable, IDisposable
{
    public const string Channel = "herald_due";

    /// <summary>How long disposing waits for the last notification to be sent.</summary>
    internal TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(5);

    // Cancels a send still under way when the flush times out.
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    // The earliest due time (UTC ticks) waiting to be sent; WakeAll when one change had no due time; None when nothing waits.
    private const long None = long.MaxValue;
    private const long WakeAll = 0;
    private long _pending = None;
    private readonly SemaphoreSlim _pumping = new(1, 1);
    private volatile Task _pump = Task.CompletedTask;

    public Task NotifyAsync(DateTimeOffset? dueAt = null, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return Task.CompletedTask;
        }

        signal.Set(dueAt);
        var ticks = dueAt?.UtcTicks ?? WakeAll;
        long seen;
        do
        {
            seen = Interlocked.Read(ref _pending);
        }
        while (ticks < seen && Interlocked.CompareExchange(ref _pending, ticks, seen) != seen);

        if (_pumping.Wait(0))
        {
            _pump = Task.Run(PumpAsync, CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>Sends what is pending until nothing is; one pump at a time.</summary>
    private async Task PumpAsync()
    {
        do
        {
            long ticks;
            while ((ticks = Interlocked.Exchange(ref _pending, None)) != None)
            {
                try
                {
                    await SendAsync(ticks);
                }
                catch (Exception ex)
                {
                    // Best effort: a dispatcher that missed it finds the change at its next safety poll.
                    StorageLog.NotifyFailed(logger, ex.GetType().Name);
                }
            }

            _pumping.Release();
        }
        // A notification asked for after the last look, whose caller found the pump still running: take it.
        while (Interlocked.Read(ref _pending) != None && _pumping.Wait(0));
    }

    private async Task SendAsync(long ticks)
    {
        // The payload is the earliest due time (UTC ticks), so that listeners planning to wake by then stay asleep;
        // an empty payload wakes every dispatcher.
        await using var command = dataSource.CreateCommand("SELECT pg_notify($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = Channel });
        command.Parameters.Add(new NpgsqlParameter { Value = ticks == WakeAll ? "" : Payload(new DateTimeOffset(ticks, TimeSpan.Zero)) });
        await command.ExecuteNonQueryAsync(_stopping.Token);
    }

    /// <summary>The payload that tells listeners the earliest due time of a change (its UTC ticks).</summary>
    internal static string Payload(DateTimeOffset dueAt) => dueAt.UtcTicks.ToString(CultureInfo.InvariantCulture);

    /// <summary>Sends what is still pending (the host is stopping), waiting at most <see cref="FlushTimeout"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            var flush = FlushAsync();
            Finish(await Task.WhenAny(flush, Task.Delay(FlushTimeout + FlushGrace)) == flush);
        }
    }

    /// <summary><see cref="DisposeAsync"/> for a caller that cannot wait asynchronously.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // Off the caller's thread: a synchronization context there must not be needed to finish the flush.
            Finish(Task.Run(FlushAsync).Wait(FlushTimeout + FlushGrace));
        }
    }

    // A send is cancelled at FlushTimeout; this much more is allowed for the cancellation to take effect.
    private static readonly TimeSpan FlushGrace = TimeSpan.FromSeconds(1);

    private async Task FlushAsync()
    {
        _stopping.CancelAfter(FlushTimeout);
        await _pump;
        if (_pumping.Wait(0))
        {
            await PumpAsync();
        }
    }

    private void Finish(bool flushed)
    {
        if (!flushed || _stopping.IsCancellationRequested)
        {
            StorageLog.NotifyFlushTimedOut(logger, FlushTimeout.TotalSeconds);
        }

        if (flushed)
        {
            // A pump still waiting on a driver that ignored the cancellation keeps using it: disposed only once done.
            _stopping.Dispose();
        }
    }

    /// <summary>The due time a notification carries, or null (wake regardless) when it carries none or one not understood.</summary>
    internal static DateTimeOffset? DueAt(string payload) =>
        long.TryParse(payload, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

    public async Task ListenAsync(CancellationToken cancellationToken = default)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, e) => signal.Set(DueAt(e.Payload));
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                // Something may have become due while not listening.
                signal.Set();
                while (!cancellationToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Whatever broke the connection, listen again: without it, other processes' changes wait for the safety poll.
                StorageLog.ListenFailed(logger, ex.GetType().Name);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
