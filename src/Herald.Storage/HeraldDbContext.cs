using Herald.Accounts;
using Herald.Contents;
using Herald.Publications;
using Herald.Storage.Configurations;
using Herald.Storage.Security;
using Microsoft.EntityFrameworkCore;

namespace Herald.Storage;

/// <summary>
/// Herald's tables. The model is shared; <see cref="SqliteHeraldDbContext"/> and
/// <see cref="PostgresHeraldDbContext"/> each carry their own provider's migrations.
/// </summary>
public abstract class HeraldDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>
    /// The shadow property (column <c>credentials_renewed_at</c>) holding when an account's credentials were last
    /// entered; null for accounts stored before it existed. Read with <c>EF.Property</c>.
    /// </summary>
    public const string CredentialsRenewedAtProperty = "CredentialsRenewedAt";

    /// <summary>
    /// The shadow property (column <c>token_expires_at</c>) holding when an account's access token expires: what the
    /// platform said when it renewed the token, or what the user stated with fixed-lifetime credentials; null when
    /// not known. Read with <c>EF.Property</c>.
    /// </summary>
    public const string TokenExpiresAtProperty = "TokenExpiresAt";

    internal CredentialProtector Protector { get; } = options.FindExtension<HeraldOptionsExtension>()?.Protector
        ?? throw new InvalidOperationException("Herald's context needs the credential key: register it with AddHeraldStorage.");

    public DbSet<Content> Contents => Set<Content>();

    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<Publication> Publications => Set<Publication>();

    public DbSet<Attempt> Attempts => Set<Attempt>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new ContentConfiguration());
        modelBuilder.ApplyConfiguration(new AccountConfiguration(Protector));
        modelBuilder.ApplyConfiguration(new PublicationConfiguration());
        modelBuilder.ApplyConfiguration(new AttemptConfiguration());
        modelBuilder.ApplyConfiguration(new Media.MediaConfiguration());
        modelBuilder.ApplyConfiguration<RateLimitSlot>(new RateLimitConfiguration());
        modelBuilder.ApplyConfiguration<RateLimitPark>(new RateLimitConfiguration());
    }
}

/// <summary>The embedded default: one SQLite file.</summary>
public sealed class SqliteHeraldDbContext(DbContextOptions<SqliteHeraldDbContext> options) : HeraldDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset values in SQL; UTC ticks as integers sort and compare exactly.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Publication>().HasIndex(p => p.IdempotencyKey).IsUnique();
    }
}

/// <summary>PostgreSQL, for several machines sharing one database. Times are <c>timestamptz</c>.</summary>
public sealed class PostgresHeraldDbContext(DbContextOptions<PostgresHeraldDbContext> options) : HeraldDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // timestamptz takes UTC only (Npgsql refuses another offset): a time given with its local offset, such as a
        // content's CreatedAt, is stored as the same instant in UTC.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<ToUtcConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<ToUtcConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // A publication's row is written several times within seconds of its due instant (claim, job taking it,
        // "being sent", outcome). The writes between claim and outcome change no indexed column; with half of each
        // page kept free they are heap-only (HOT) updates, which add no index entries (ten on PostgreSQL, the
        // primary key among them).
        // The price: the table's pages are at most half full, so it takes up to twice the space on disk.
        modelBuilder.Entity<Publication>().HasStorageParameter("fillfactor", PublicationsFillFactor);
        // The key is the row's id in another form (Publication.Create): checking that keeps it unique through the primary
        // key, without a unique index of its own that every insert would also have to update.
        modelBuilder.Entity<Publication>().ToTable(t => t.HasCheckConstraint(
            IdempotencyKeyCheck, "idempotency_key = 'herald-' || replace(id::text, '-', '')"));
    }

    /// <summary>The check that a publication's idempotency key is made from its id.</summary>
    internal const string IdempotencyKeyCheck = "ck_publications_idempotency_key";

    /// <summary>How full PostgreSQL fills a page of <c>publications</c> (percent).</summary>
    internal const int PublicationsFillFactor = 50;
}
