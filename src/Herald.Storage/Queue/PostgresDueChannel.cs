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

    public async Task NotifyAsync(CancellationToken cancellationToken = default)
    {
        signal.Set();
        await using var command = dataSource.CreateCommand($"NOTIFY {Channel}");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ListenAsync(CancellationToken cancellationToken = default)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, _) => signal.Set();
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
