using Herald.Accounts;
using Herald.Contents;

namespace Herald.Publications;

/// <summary>Where contents, accounts, publications and their attempts are kept (Herald.Storage implements it).</summary>
public interface IPublicationStore
{
    Task AddContentAsync(Content content, CancellationToken cancellationToken = default);

    /// <summary>Adds the account, or updates the one with the same platform and display name; returns the stored one.</summary>
    Task<Account> UpsertAccountAsync(Account account, CancellationToken cancellationToken = default);

    Task AddPublicationAsync(Publication publication, CancellationToken cancellationToken = default);

    /// <summary>Saves the publication's changes; refuses when another writer changed it first.</summary>
    Task SavePublicationAsync(Publication publication, CancellationToken cancellationToken = default);

    Task AddAttemptAsync(Attempt attempt, CancellationToken cancellationToken = default);

    Task<Publication?> GetPublicationAsync(PublicationId id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Attempt>> GetAttemptsAsync(PublicationId id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Publication>> ListPublicationsAsync(
        PublicationStatus? status = null,
        int limit = 100,
        CancellationToken cancellationToken = default);
}
