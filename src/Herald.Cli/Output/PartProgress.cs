using Herald.Accounts;
using Herald.Contents;
using Herald.Publications;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Output;

/// <summary>
/// Tells the CLI each time a thread part is confirmed, as it happens: the engine stores every confirmed part at once
/// (so that a resumed thread never repeats one), and this hears those saves.
/// </summary>
internal sealed class PartProgress
{
    /// <summary>A publication whose confirmed parts just grew (see <see cref="Publication.ThreadPartIds"/>).</summary>
    public event Action<Publication>? PartConfirmed;

    /// <summary>Any save of a publication (marked as being sent, a part confirmed, an outcome), with its new state.</summary>
    public event Action<Publication>? Changed;

    /// <summary>Wraps the registered <see cref="IPublicationStore"/> so that its saves report confirmed parts here.</summary>
    public static void Observe(IServiceCollection services)
    {
        services.AddSingleton<PartProgress>();
        var original = services.Last(d => d.ServiceType == typeof(IPublicationStore));
        services.Remove(original);
        services.Add(ServiceDescriptor.Describe(
            typeof(IPublicationStore),
            sp => new ObservedStore(
                (IPublicationStore)(original.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!)),
                sp.GetRequiredService<PartProgress>()),
            original.Lifetime));
    }

    private void Saved(Publication publication, int partsBefore)
    {
        Changed?.Invoke(publication);
        if (publication.ThreadPartIds.Count > partsBefore)
        {
            PartConfirmed?.Invoke(publication);
        }
    }

    /// <summary>The store, unchanged, but for noticing a save that confirmed a part.</summary>
    private sealed class ObservedStore(IPublicationStore inner, PartProgress progress) : IPublicationStore
    {
        private readonly Dictionary<PublicationId, int> _parts = [];

        public async Task SavePublicationAsync(Publication publication, CancellationToken cancellationToken = default)
        {
            var before = _parts.GetValueOrDefault(publication.Id, publication.ThreadPartIds.Count - 1);
            await inner.SavePublicationAsync(publication, cancellationToken);
            _parts[publication.Id] = publication.ThreadPartIds.Count;
            progress.Saved(publication, before);
        }

        public Task AddContentAsync(Content content, CancellationToken cancellationToken = default) => inner.AddContentAsync(content, cancellationToken);

        public Task<IReadOnlyList<(Publication Publication, string Fingerprint)>> FindEarlierPublicationsAsync(
            IReadOnlyCollection<string> fingerprints, IReadOnlyCollection<AccountId> accounts, CancellationToken cancellationToken = default) =>
            inner.FindEarlierPublicationsAsync(fingerprints, accounts, cancellationToken);

        public Task<Account> UpsertAccountAsync(Account account, CancellationToken cancellationToken = default) => inner.UpsertAccountAsync(account, cancellationToken);

        public Task<IReadOnlyList<(Account Account, bool Existed)>> StageAccountsAsync(IReadOnlyList<Account> accounts, CancellationToken cancellationToken = default) =>
            inner.StageAccountsAsync(accounts, cancellationToken);

        public async Task<IReadOnlyList<Publication>> AddScheduledAsync(
            IReadOnlyList<Content> contents, int count, Func<int, Publication> create, bool keepTracked, CancellationToken cancellationToken = default)
        {
            var stored = await inner.AddScheduledAsync(contents, count, create, keepTracked, cancellationToken);
            foreach (var publication in stored)
            {
                _parts[publication.Id] = publication.ThreadPartIds.Count;
            }

            return stored;
        }

        public async Task<IReadOnlyList<Publication>?> TryAddScheduledAtOnceAsync(
            Content content,
            IReadOnlyList<Account> accounts,
            bool guard,
            Func<IReadOnlyList<Account>, IReadOnlyList<Publication>> create,
            CancellationToken cancellationToken = default)
        {
            var stored = await inner.TryAddScheduledAtOnceAsync(content, accounts, guard, create, cancellationToken);
            foreach (var publication in stored ?? [])
            {
                _parts[publication.Id] = publication.ThreadPartIds.Count;
            }

            return stored;
        }

        public Task AddPublicationAsync(Publication publication, CancellationToken cancellationToken = default)
        {
            _parts[publication.Id] = publication.ThreadPartIds.Count;
            return inner.AddPublicationAsync(publication, cancellationToken);
        }

        public Task AddAttemptAsync(Attempt attempt, CancellationToken cancellationToken = default) => inner.AddAttemptAsync(attempt, cancellationToken);

        public void StageAttempt(Attempt attempt) => inner.StageAttempt(attempt);

        public Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken = default) => inner.InTransactionAsync(work, cancellationToken);

        public Task SaveOutcomeAsync(Publication publication, Attempt attempt, CancellationToken cancellationToken = default) =>
            inner.SaveOutcomeAsync(publication, attempt, cancellationToken);

        public void Attach(Publication publication) => inner.Attach(publication);

        public Task<PublicationBatch> LoadBatchAsync(IReadOnlyCollection<PublicationId> ids, CancellationToken cancellationToken = default) =>
            inner.LoadBatchAsync(ids, cancellationToken);

        public Task SaveChangesAsync(CancellationToken cancellationToken = default) => inner.SaveChangesAsync(cancellationToken);

        public Task<Content?> GetContentAsync(ContentId id, CancellationToken cancellationToken = default) => inner.GetContentAsync(id, cancellationToken);

        public Task<Account?> GetAccountAsync(AccountId id, CancellationToken cancellationToken = default) => inner.GetAccountAsync(id, cancellationToken);

        public Task<IReadOnlyList<Publication>> FindByIdPrefixAsync(string hexPrefix, int limit = 10, CancellationToken cancellationToken = default) =>
            inner.FindByIdPrefixAsync(hexPrefix, limit, cancellationToken);

        public Task<Publication?> GetPublicationAsync(PublicationId id, CancellationToken cancellationToken = default) => inner.GetPublicationAsync(id, cancellationToken);

        public Task<IReadOnlyList<Attempt>> GetAttemptsAsync(PublicationId id, CancellationToken cancellationToken = default) => inner.GetAttemptsAsync(id, cancellationToken);

        public Task<IReadOnlyList<Publication>> ListPublicationsAsync(PublicationStatus? status = null, int limit = 100, CancellationToken cancellationToken = default) =>
            inner.ListPublicationsAsync(status, limit, cancellationToken);
    }
}
