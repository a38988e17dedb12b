using System.Collections.Concurrent;

namespace Herald.Accounts;

/// <summary>
/// Keeps credentials a platform renewed (an OAuth 2 token pair after a refresh, a Bluesky session), so
/// the next try — in this process or another — starts from them. Adapters call it the moment a platform
/// hands out new ones; Herald.Storage stores them encrypted.
/// </summary>
public interface IAccountCredentialsStore
{
    /// <summary>Replaces the stored credentials of <paramref name="accountId"/> with <paramref name="credentials"/>.</summary>
    Task SaveCredentialsAsync(AccountId accountId, AccountCredentials credentials, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="renew"/> while no other renewal of the account's credentials runs — in this process, or,
    /// with shared storage, in any process using it — and hands it the credentials as stored at that moment (null
    /// without storage). Single-use refresh tokens need this: a copy of the account loaded before another process
    /// renewed them holds a spent token, and must adopt the stored pair instead of spending its own.
    /// <paramref name="renew"/> saves what it renews with <see cref="SaveCredentialsAsync"/> before it returns.
    /// </summary>
    async Task<T> RenewAsync<T>(AccountId accountId, Func<AccountCredentials?, Task<T>> renew, CancellationToken cancellationToken = default)
    {
        var gate = InProcessRenewals.Gate(accountId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await renew(null);
        }
        finally
        {
            gate.Release();
        }
    }
}

/// <summary>One renewal at a time per account within this process.</summary>
internal static class InProcessRenewals
{
    private static readonly ConcurrentDictionary<AccountId, SemaphoreSlim> Gates = new();

    public static SemaphoreSlim Gate(AccountId accountId) => Gates.GetOrAdd(accountId, _ => new SemaphoreSlim(1, 1));
}

/// <summary>For hosts without storage (a library user publishing once): renewed credentials live as long as the account object.</summary>
internal sealed class InMemoryAccountCredentialsStore : IAccountCredentialsStore
{
    public Task SaveCredentialsAsync(AccountId accountId, AccountCredentials credentials, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;
}
