using System.Collections.Concurrent;
using Herald.Accounts;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Herald.Storage;

/// <summary>
/// Stores renewed credentials, encrypted like all credentials; a scope of its own per save, so singletons can call it.
/// Renewals of one account are serialised across every process sharing the database: a PostgreSQL advisory lock
/// held by a transaction (released when it ends, even if the process dies), or for SQLite a lock file beside the
/// database (released by the operating system when the process dies).
/// </summary>
internal sealed class AccountCredentialsStore(IServiceScopeFactory scopes, HeraldDatabaseInfo database) : IAccountCredentialsStore
{
    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(50);

    // Per store, not per process: the database lock below is what keeps renewals apart; this gate only saves it from
    // being contended by calls of this store.
    private readonly ConcurrentDictionary<AccountId, SemaphoreSlim> _gates = new();

    public async Task SaveCredentialsAsync(AccountId accountId, AccountCredentials credentials, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken)
            ?? throw new InvalidOperationException($"Account {accountId} does not exist; its renewed credentials cannot be kept.");
        db.Entry(account).Property(a => a.Credentials).CurrentValue = new AccountCredentials(credentials) { Owner = accountId };
        // The renewed token's expiry as the platform gave it; a renewal that gave none leaves it unknown, not the old token's.
        db.Entry(account).Property<DateTimeOffset?>(HeraldDbContext.TokenExpiresAtProperty).CurrentValue = credentials.AccessTokenExpiresAt;
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<T> RenewAsync<T>(AccountId accountId, Func<AccountCredentials?, Task<T>> renew, CancellationToken cancellationToken = default)
    {
        var gate = _gates.GetOrAdd(accountId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var held = database.Provider == DatabaseProvider.PostgreSql
                ? await PostgresLockAsync(accountId, cancellationToken)
                : await SqliteLockAsync(cancellationToken);
            return await renew(await LoadAsync(accountId, cancellationToken));
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<AccountCredentials?> LoadAsync(AccountId accountId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        return await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken) is { } account
            ? StoredCredentials.Checked(account).Credentials
            : null;
    }

    private async Task<IAsyncDisposable> PostgresLockAsync(AccountId accountId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var connection = await scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@key))", connection, transaction);
            command.Parameters.AddWithValue("key", $"herald-credentials:{accountId.Value}");
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new HeldLock(async () =>
            {
                await transaction.RollbackAsync(CancellationToken.None);
                await connection.DisposeAsync();
            });
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<IAsyncDisposable> SqliteLockAsync(CancellationToken cancellationToken)
    {
        var databasePath = Path.GetFullPath(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource);
        // One lock file per database, never deleted: deleting it on release would let a waiting process lock the
        // old file while a third creates a new one. Renewals are rare, so accounts can share it.
        var path = $"{databasePath}-credentials.lock";
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        while (true)
        {
            try
            {
                var stream = new FileStream(path, options);
                return new HeldLock(() => stream.DisposeAsync());
            }
            catch (IOException)
            {
                // Another process renews credentials now: wait for it, then read what it stored. Real time on purpose:
                // this waits for another process, not for anything on Herald's schedule.
                await Task.Delay(LockPoll, TimeProvider.System, cancellationToken);
            }
        }
    }

    private sealed class HeldLock(Func<ValueTask> release) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => release();
    }
}
