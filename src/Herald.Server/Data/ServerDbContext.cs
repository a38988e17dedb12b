using Herald.Server.Idempotency;
using Herald.Server.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Herald.Server.Data;

/// <summary>
/// The server's own tables (API keys, idempotency records, webhooks), in Herald's database beside the library's tables but with a migration
/// history of their own (<c>__herald_server_migrations</c>), so the library's migrations and the server's never
/// depend on each other. <see cref="SqliteServerDbContext"/> and <see cref="PostgresServerDbContext"/> carry each
/// provider's migrations.
/// </summary>
internal abstract class ServerDbContext(DbContextOptions options) : DbContext(options)
{
    public const string MigrationsHistoryTable = "__herald_server_migrations";

    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<WebhookRecord> Webhooks => Set<WebhookRecord>();

    public DbSet<WebhookEventRecord> WebhookEvents => Set<WebhookEventRecord>();

    public DbSet<WebhookDeliveryRecord> WebhookDeliveries => Set<WebhookDeliveryRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        Configure(modelBuilder.Entity<ApiKeyRecord>());
        Configure(modelBuilder.Entity<IdempotencyRecord>());
        WebhookModel.Configure(modelBuilder);
    }

    private static void Configure(EntityTypeBuilder<IdempotencyRecord> record)
    {
        record.ToTable("idempotency_records");
        record.HasKey(r => new { r.ApiKeyId, r.Key });
        record.Property(r => r.ApiKeyId).HasColumnName("api_key_id");
        record.Property(r => r.Key).HasColumnName("key").HasMaxLength(IdempotencyMiddleware.MaxKeyLength);
        record.Property(r => r.RequestHash).HasColumnName("request_hash").HasMaxLength(64);
        record.Property(r => r.CreatedAt).HasColumnName("created_at");
        record.HasIndex(r => r.CreatedAt).HasDatabaseName("ix_idempotency_records_created");
        record.Property(r => r.StatusCode).HasColumnName("status_code");
        record.Property(r => r.ContentType).HasColumnName("content_type").HasMaxLength(200);
        record.Property(r => r.Location).HasColumnName("location").HasMaxLength(2000);
        record.Property(r => r.Body).HasColumnName("body");
    }

    private static void Configure(EntityTypeBuilder<ApiKeyRecord> key)
    {
        key.ToTable("api_keys");
        key.HasKey(k => k.Id);
        key.Property(k => k.Id).HasColumnName("id");
        key.Property(k => k.Name).HasColumnName("name").HasMaxLength(200);
        key.Property(k => k.Prefix).HasColumnName("prefix").HasMaxLength(16);
        key.Property(k => k.Hash).HasColumnName("hash").HasMaxLength(64);
        key.HasIndex(k => k.Hash).IsUnique().HasDatabaseName("ix_api_keys_hash");
        key.Property(k => k.Scopes).HasColumnName("scopes").HasMaxLength(64);
        key.Property(k => k.CreatedAt).HasColumnName("created_at");
        key.Property(k => k.LastUsedAt).HasColumnName("last_used_at");
        key.Property(k => k.RevokedAt).HasColumnName("revoked_at");
    }
}

/// <summary>The server's tables in the embedded SQLite database.</summary>
internal sealed class SqliteServerDbContext(DbContextOptions<SqliteServerDbContext> options) : ServerDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare DateTimeOffset values in SQL; every time here is UTC, so its binary form orders correctly.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<long>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<long>();
    }
}

/// <summary>The server's tables in PostgreSQL.</summary>
internal sealed class PostgresServerDbContext(DbContextOptions<PostgresServerDbContext> options) : ServerDbContext(options);
