using Herald.Accounts;
using Herald.Contents;
using Herald.Publications;
using Herald.Scheduling;
using Herald.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Herald.Storage;

/// <summary>EF Core implementation of <see cref="IPublicationStore"/>; one per scope, tracking what it loads.</summary>
internal sealed class PublicationStore(HeraldDbContext db, OutcomeWriter outcomes, KnownAccounts known, DueSignal? localDispatcher = null) : IPublicationStore
{
    // The accounts staged in this store's transaction: known to this process once it commits.
    private readonly List<Account> _staged = [];

    /// <summary>The shadow property of a content that holds its <see cref="ContentFingerprint"/>.</summary>
    internal const string FingerprintProperty = "Fingerprint";

    public async Task AddContentAsync(Content content, CancellationToken cancellationToken = default)
    {
        db.Contents.Add(content).Property(FingerprintProperty).CurrentValue = ContentFingerprint.Of(content);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<(Publication Publication, string Fingerprint)>> FindEarlierPublicationsAsync(
        IReadOnlyCollection<string> fingerprints, IReadOnlyCollection<AccountId> accounts, CancellationToken cancellationToken = default)
    {
        if (fingerprints.Count == 0 || accounts.Count == 0)
        {
            return [];
        }

        var wanted = fingerprints.Distinct().ToList();
        var ids = accounts.ToList();
        if (db.Database.IsNpgsql() && db.Database.CurrentTransaction is not null)
        {
            // Two calls scheduling the same content for the same account at once would both find nothing under READ
            // COMMITTED and both insert. A lock per account, held until this transaction ends and taken in one order
            // (no deadlock), makes the second wait and then see the first's publication. SQLite's write lock does the same.
            await db.Database.ExecuteSqlRawAsync(
                "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended('herald:repost:' || a, 0) AS k FROM unnest({0}::text[]) AS a ORDER BY 1) AS keys",
                [ids.Select(a => a.Value.ToString()).ToArray()],
                cancellationToken);
        }
        var found = await (
            from p in db.Publications.AsNoTracking()
            join c in db.Contents on p.ContentId equals c.Id
            where wanted.Contains(EF.Property<string>(c, FingerprintProperty)) && ids.Contains(p.AccountId)
                  && p.Status != PublicationStatus.Failed && p.Status != PublicationStatus.Cancelled
            orderby p.CreatedAt
            select new { Publication = p, Fingerprint = EF.Property<string>(c, FingerprintProperty) }).ToListAsync(cancellationToken);
        return [.. found.Select(f => (f.Publication, f.Fingerprint))];
    }

    public async Task<Account> UpsertAccountAsync(Account account, CancellationToken cancellationToken = default)
    {
        // A change outside a schedule (a rename, new credentials, a removal): a schedule reads the account again.
        known.Forget(account.Platform, account.DisplayName);
        var stored = (await StageAccountsAsync([account], cancellationToken))[0].Account;
        _staged.Clear();
        known.Forget(stored.Platform, stored.DisplayName);
        await db.SaveChangesAsync(cancellationToken);
        return stored;
    }

    public async Task<IReadOnlyList<(Account Account, bool Existed)>> StageAccountsAsync(
        IReadOnlyList<Account> accounts, CancellationToken cancellationToken = default)
    {
        // One query by display name (the unique index is platform + display name); the platform is matched here.
        var names = accounts.Select(a => a.DisplayName).Distinct().ToList();
        var existing = await db.Accounts.Where(a => names.Contains(a.DisplayName)).ToListAsync(cancellationToken);
        var result = new List<(Account, bool)>(accounts.Count);
        foreach (var account in accounts)
        {
            var found = existing.FirstOrDefault(a => a.Platform == account.Platform && a.DisplayName == account.DisplayName);
            result.Add(found is null ? (Add(account, existing), false) : (Update(found, account), true));
        }

        _staged.AddRange(result.Select(r => r.Item1));
        return result;
    }

    private Account Add(Account account, List<Account> known)
    {
        var added = new Account
        {
            Id = account.Id,
            Platform = account.Platform,
            DisplayName = account.DisplayName,
            Credentials = ConfiguredCredentials.Stamp(account.Credentials, account.Id),
            BaseUrl = account.BaseUrl,
            Settings = account.Settings,
            CreatedAt = account.CreatedAt,
        };
        db.Accounts.Add(added);
        // The same account named twice in one call is one row.
        known.Add(added);
        return added;
    }

    private Account Update(Account existing, Account account)
    {
        var entry = db.Entry(existing);
        var configured = ConfiguredCredentials.Stamp(account.Credentials, existing.Id);
        if (!ConfiguredCredentials.SameSource(StoredCredentials.Checked(existing).Credentials, configured))
        {
            // The user gave new credentials: they replace the stored ones. When they are the same as last time,
            // the stored ones are kept — they may hold what the platform renewed since (an OAuth 2 pair, a session).
            // Stored credentials this worker cannot read (another key, a damaged row) are replaced without being
            // read: entering them again is how a user recovers from a lost or mistyped key.
            entry.Property(a => a.Credentials).CurrentValue = configured;
            // The stored expiry belonged to the credentials just replaced; the new ones' is not known.
            entry.Property<DateTimeOffset?>(HeraldDbContext.TokenExpiresAtProperty).CurrentValue = null;
        }

        // Unchanged values leave the row unmodified: nothing is written for an account used as configured.
        entry.Property(a => a.Settings).CurrentValue = account.Settings;
        entry.Property(a => a.BaseUrl).CurrentValue = account.BaseUrl;
        return existing;
    }

    public async Task<IReadOnlyList<Publication>> AddScheduledAsync(
        IReadOnlyList<Content> contents, int count, Func<int, Publication> create, bool keepTracked, CancellationToken cancellationToken = default)
    {
        var publications = new Publication[count];
        if (keepTracked || count < PostgresBulkCopy.MinimumRows || !db.Database.IsNpgsql())
        {
            // Rendering is pure CPU work per publication: a large call spreads it over the cores.
            PerItem.For(count, i => publications[i] = create(i));
            foreach (var content in contents)
            {
                db.Contents.Add(content).Property(FingerprintProperty).CurrentValue = ContentFingerprint.Of(content);
            }

            db.Publications.AddRange(publications);
            await SaveInOneRoundTripAsync(cancellationToken);
            if (!keepTracked)
            {
                // As after a binary COPY: what the call returns is not tracked, whatever the provider or the size.
                Detach(contents, publications);
            }

            return publications;
        }

        // Thousands of rows: binary COPY in the same transaction as the accounts (the caller's, when it has one),
        // instead of tracked inserts. Each publication is made as its row is written: PostgreSQL takes the rows
        // already sent (their indexes, their foreign keys) on its own core meanwhile.
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await using (own)
        {
            await db.SaveChangesAsync(cancellationToken);
            var copy = new PostgresBulkCopy(db);
            await copy.CopyAsync(contents, new Dictionary<string, Func<Content, object?>> { [FingerprintProperty] = ContentFingerprint.Of }, cancellationToken);
            await copy.CopyAsync(MadeInOrder(publications, create), shadow: null, cancellationToken);
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }
        }

        return publications;
    }

    /// <summary>Makes each publication as it is read, keeping it in <paramref name="made"/>.</summary>
    private static IEnumerable<Publication> MadeInOrder(Publication[] made, Func<int, Publication> create)
    {
        for (var i = 0; i < made.Length; i++)
        {
            made[i] = create(i);
            yield return made[i];
        }
    }

    public async Task<IReadOnlyList<Publication>?> TryAddScheduledAtOnceAsync(
        Content content,
        IReadOnlyList<Account> accounts,
        bool guard,
        Func<IReadOnlyList<Account>, IReadOnlyList<Publication>> create,
        CancellationToken cancellationToken = default)
    {
        if (!db.Database.IsNpgsql() || db.Database.CurrentTransaction is not null || db.ChangeTracker.HasChanges()
            || known.Find(accounts) is not { } stored)
        {
            return null;
        }

        var publications = create(stored);
        try
        {
            // False: the guard found an earlier publication; the general path names it.
            if (!await new PostgresScheduleAtOnce(db).TryInsertAsync(content, publications, stored, guard, cancellationToken))
            {
                // An earlier publication to name, or an account changed elsewhere: the general path reads them afresh.
                foreach (var account in accounts)
                {
                    known.Forget(account.Platform, account.DisplayName);
                }

                return null;
            }

            // The statement woke every process's dispatchers through the database; this one's need not wait for it.
            localDispatcher?.Set(publications.Min(p => p.NextAttemptAt ?? p.ScheduledAt));
            return publications;
        }
        catch (Npgsql.PostgresException ex) when (ex.SqlState.StartsWith("23", StringComparison.Ordinal))
        {
            // An integrity rule refused the rows (an account removed by another process): nothing was stored. The
            // general path reads the accounts again and reports what is wrong as it always does.
            known.ForgetAll();
            return null;
        }
    }

    private void Detach(IReadOnlyList<Content> contents, IReadOnlyList<Publication> publications)
    {
        foreach (var content in contents)
        {
            db.Entry(content).State = EntityState.Detached;
        }

        foreach (var publication in publications)
        {
            db.Entry(publication).State = EntityState.Detached;
        }
    }

    /// <summary>
    /// Saves a small change set. On PostgreSQL, without a transaction of the caller's, the inserts go as one batch
    /// with no BEGIN/COMMIT of EF's own: PostgreSQL runs a batch (one Sync) as one implicit transaction, all or
    /// nothing, so the commit rides with the inserts instead of costing a round trip of its own.
    /// </summary>
    private async Task SaveInOneRoundTripAsync(CancellationToken cancellationToken)
    {
        var oneBatch = db.Database.IsNpgsql() && db.Database.CurrentTransaction is null
            && db.ChangeTracker.Entries().Count(e => e.State != EntityState.Unchanged) <= OneBatchEntries;
        var before = db.Database.AutoTransactionBehavior;
        if (oneBatch)
        {
            db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        }

        try
        {
            await SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.Database.AutoTransactionBehavior = before;
        }
    }

    /// <summary>Well under EF's PostgreSQL batch size (1,000 commands), so the save is certainly one batch.</summary>
    private const int OneBatchEntries = 100;

    public async Task AddPublicationAsync(Publication publication, CancellationToken cancellationToken = default)
    {
        db.Publications.Add(publication);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task SavePublicationAsync(Publication publication, CancellationToken cancellationToken = default)
    {
        if (PrepareOutcomeRow(publication, attempt: null, onlyChangeOfTheScope: true) is { } prepared)
        {
            // The usual case (a runner marking its attempt): the row alone, sharing a commit with the other
            // workers' writes (OutcomeWriter), version-checked like SaveChanges.
            cancellationToken.ThrowIfCancellationRequested();
            await WriteAsync(prepared);
            return;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw new PublicationConflictException(publication.Id, ex);
        }
    }

    /// <summary>
    /// The publication's row as the shared writer takes it, with its tracked entry, the changes looked for once: every
    /// EF call that reads an entry (<c>Entry</c>, <c>Entries</c>) looks for changes again by default, and on a burst of
    /// sends those repeated looks (five a save) took a third of the worker's time. Null when
    /// <paramref name="onlyChangeOfTheScope"/> asks that the publication be the only change and it is not.
    /// </summary>
    private (OutcomeRow Row, EntityEntry<Publication> Entry)? PrepareOutcomeRow(Publication publication, Attempt? attempt, bool onlyChangeOfTheScope)
    {
        db.ChangeTracker.DetectChanges();
        var detecting = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var entry = db.Entry(publication);
            if (entry.State == EntityState.Detached)
            {
                throw new InvalidOperationException(
                    $"Publication {publication.Id} was not loaded through this store; load it with GetPublicationAsync before saving.");
            }

            return onlyChangeOfTheScope && !OnlyChangeIs(publication) ? null : (OutcomeRows.From(db, entry, attempt), entry);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detecting;
        }
    }

    /// <summary>Writes the row through the shared writer; what was written is then what the context holds.</summary>
    private async Task WriteAsync((OutcomeRow Row, EntityEntry<Publication> Entry) prepared)
    {
        if (!await outcomes.WriteAsync(prepared.Row))
        {
            throw new PublicationConflictException(
                prepared.Entry.Entity.Id, new DbUpdateConcurrencyException("The publication's version changed since it was loaded."));
        }

        OutcomeRows.Accept(prepared.Entry);
    }

    /// <summary>
    /// True when <paramref name="publication"/> is modified and nothing else tracked is, outside any transaction of
    /// this context's (the shared writer has a connection of its own: inside a transaction it would wait for it).
    /// Reads the states as they are: the caller has looked for changes.
    /// </summary>
    private bool OnlyChangeIs(Publication publication)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return false;
        }

        var modified = false;
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (ReferenceEquals(entry.Entity, publication))
            {
                modified = entry.State == EntityState.Modified;
            }
            else if (entry.State != EntityState.Unchanged)
            {
                return false;
            }
        }

        return modified;
    }

    public void StageAttempt(Attempt attempt) => db.Attempts.Add(attempt);

    public async Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // A failure rolls the whole transaction back, so a savepoint around each save (two more round trips) buys nothing.
        var savepoints = db.Database.AutoSavepointsEnabled;
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            var result = await work();
            await transaction.CommitAsync(cancellationToken);
            known.Remember(_staged);
            _staged.Clear();
            return result;
        }
        catch
        {
            _staged.Clear();
            // Rolled back: what the work staged or saved is not stored, and the tracker must not think otherwise
            // (a later call in this scope would take a rolled-back account for a stored one, or insert it twice).
            db.ChangeTracker.Clear();
            throw;
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = savepoints;
        }
    }

    public async Task AddAttemptAsync(Attempt attempt, CancellationToken cancellationToken = default)
    {
        db.Attempts.Add(attempt);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task SaveOutcomeAsync(Publication publication, Attempt attempt, CancellationToken cancellationToken = default)
    {
        // The status and the attempt row are stored together or not at all, sharing a commit with other
        // workers' outcomes (OutcomeWriter). Not cancelled: an outcome that is known is always kept.
        await WriteAsync(PrepareOutcomeRow(publication, attempt, onlyChangeOfTheScope: false)!.Value);
    }

    public void Attach(Publication publication) => db.Publications.Attach(publication);

    public async Task<PublicationBatch> LoadBatchAsync(IReadOnlyCollection<PublicationId> ids, CancellationToken cancellationToken = default)
    {
        var wanted = ids.ToList();
        var publications = await db.Publications.Where(p => wanted.Contains(p.Id)).ToListAsync(cancellationToken);
        var contentIds = publications.Select(p => p.ContentId).Distinct().ToList();
        var accountIds = publications.Select(p => p.AccountId).Distinct().ToList();
        var contents = await db.Contents.AsNoTracking().Where(c => contentIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        // Credentials this worker cannot read load as Unreadable: they fail their own publications, not the batch.
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, StoredCredentials.Checked, cancellationToken);
        return new PublicationBatch(publications, contents, accounts);
    }

    public async Task SaveChangesAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex) when (ex.Entries.FirstOrDefault()?.Entity is Publication publication)
        {
            throw new PublicationConflictException(publication.Id, ex);
        }
    }

    public Task<Content?> GetContentAsync(ContentId id, CancellationToken cancellationToken = default) =>
        db.Contents.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);

    public async Task<Account?> GetAccountAsync(AccountId id, CancellationToken cancellationToken = default) =>
        await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken) is { } account
            ? StoredCredentials.Checked(account)
            : null;

    public async Task<IReadOnlyList<Publication>> FindByIdPrefixAsync(string hexPrefix, int limit = 10, CancellationToken cancellationToken = default)
    {
        if (hexPrefix.Length is 0 or > 32 || !hexPrefix.All(Uri.IsHexDigit))
        {
            return [];
        }

        // Ids are stored in the dashed form (SQLite: upper-case text; PostgreSQL: uuid, lower-case as text).
        var dashed = hexPrefix.ToLowerInvariant();
        foreach (var at in new[] { 20, 16, 12, 8 })
        {
            if (dashed.Length > at)
            {
                dashed = dashed.Insert(at, "-");
            }
        }

        var sql = db.Database.IsNpgsql()
            ? "SELECT * FROM publications WHERE id::text LIKE {0}"
            : "SELECT * FROM publications WHERE lower(id) LIKE {0}";
        return await db.Publications.FromSqlRaw(sql, dashed + "%").Take(limit).ToListAsync(cancellationToken);
    }

    public Task<Publication?> GetPublicationAsync(PublicationId id, CancellationToken cancellationToken = default) =>
        db.Publications.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);

    public async Task<IReadOnlyList<Attempt>> GetAttemptsAsync(PublicationId id, CancellationToken cancellationToken = default) =>
        await db.Attempts.AsNoTracking().Where(a => a.PublicationId == id).OrderBy(a => a.Number).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Publication>> ListPublicationsAsync(
        PublicationStatus? status = null,
        int limit = 100,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var query = db.Publications.AsQueryable();
        if (status is { } wanted)
        {
            query = query.Where(p => p.Status == wanted);
        }

        return await query.OrderByDescending(p => p.CreatedAt).Take(limit).ToListAsync(cancellationToken);
    }
}
