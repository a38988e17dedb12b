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
}

/// <summary>For hosts without storage (a library user publishing once): renewed credentials live as long as the account object.</summary>
internal sealed class InMemoryAccountCredentialsStore : IAccountCredentialsStore
{
    public Task SaveCredentialsAsync(AccountId accountId, AccountCredentials credentials, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;
}
