using System.Globalization;
using Herald.Workers;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Herald.Storage.Queue;

/// <summary>
/// Wakes dispatchers in every process: <see cref="NotifyAsync"/> signals this process's dispatcher and sends
/// <c>NOTIFY herald_due</c>; <see cref="ListenAsync"/> keeps a dedicated connection on <c>LISTEN herald_due</c>
/// and signals this process's dispatcher for every notification.
/// </summary>
internal sealed class PostgresDueChannel(NpgsqlDataSource dataSource, DueSignal signal, ILogger<PostgresDueChannel> logger) : IDueNotifier, IDueListener
{
    public const string Channel = "herald_due";

    public async Task NotifyAsync(DateTimeOffset? dueAt = null, CancellationToken cancellationToken = default)
    {
        signal.Set(dueAt);
        // The payload is the earliest due time (UTC ticks), so that listeners planning to wake by then stay asleep;
        // an empty payload wakes every dispatcher.
        await using var command = dataSource.CreateCommand("SELECT pg_notify($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = Channel });
        command.Parameters.Add(new NpgsqlParameter { Value = dueAt?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "" });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The due time a notification carries, or null (wake regardless) when it carries none or one not understood.</summary>
    internal static DateTimeOffset? DueAt(string payload) =>
        long.TryParse(payload, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks is > 0 and <= 3155378975999999999
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
