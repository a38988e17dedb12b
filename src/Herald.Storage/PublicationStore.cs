using Herald.Accounts;
using Herald.Contents;
using Herald.Publications;
using Microsoft.EntityFrameworkCore;

namespace Herald.Storage;

/// <summary>EF Core implementation of <see cref="IPublicationStore"/>; one per scope, tracking what it loads.</summary>
internal sealed class PublicationStore(HeraldDbContext db) : IPublicationStore
{
    public async Task AddContentAsync(Content content, CancellationToken cancellationToken = default)
    {
        db.Contents.Add(content);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<Account> UpsertAccountAsync(Account account, CancellationToken cancellationToken = default)
    {
        var existing = await db.Accounts.FirstOrDefaultAsync(
            a => a.Platform == account.Platform && a.DisplayName == account.DisplayName, cancellationToken);
        if (existing is null)
        {
            db.Accounts.Add(account);
            await db.SaveChangesAsync(cancellationToken);
            return account;
        }

        var entry = db.Entry(existing);
        entry.Property(a => a.Credentials).CurrentValue = account.Credentials;
        entry.Property(a => a.Settings).CurrentValue = account.Settings;
        entry.Property(a => a.BaseUrl).CurrentValue = account.BaseUrl;
        await db.SaveChangesAsync(cancellationToken);
        return existing;
    }

    public async Task AddPublicationAsync(Publication publication, CancellationToken cancellationToken = default)
    {
        db.Publications.Add(publication);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task SavePublicationAsync(Publication publication, CancellationToken cancellationToken = default)
    {
        if (db.Entry(publication).State == EntityState.Detached)
        {
            throw new InvalidOperationException(
                $"Publication {publication.Id} was not loaded through this store; load it with GetPublicationAsync before saving.");
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

    public async Task AddAttemptAsync(Attempt attempt, CancellationToken cancellationToken = default)
    {
        db.Attempts.Add(attempt);
        await db.SaveChangesAsync(cancellationToken);
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

/// <summary>Another writer changed the publication since it was loaded; nothing was saved.</summary>
public sealed class PublicationConflictException(PublicationId id, Exception inner)
    : InvalidOperationException($"Publication {id} was changed by another worker since it was loaded; nothing was saved. Load it again.", inner);
