using Herald.Accounts;
using Herald.Contents;
using Herald.Publications;
using Herald.Storage.Queue;
using Herald.Storage.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Herald.Storage.Configurations;

internal sealed class ContentConfiguration : IEntityTypeConfiguration<Content>
{
    public void Configure(EntityTypeBuilder<Content> builder)
    {
        builder.ToTable("contents");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasColumnName("id").HasConversion(v => v.Value, v => new ContentId(v));
        builder.Property(c => c.Type).HasColumnName("type").HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Title).HasColumnName("title").HasMaxLength(ContentFieldLengths.Title);
        builder.Property(c => c.Body).HasColumnName("body");
        builder.Property(c => c.Author).HasColumnName("author").HasMaxLength(ContentFieldLengths.Author);
        builder.Property(c => c.Tags).HasColumnName("tags")
            .HasConversion(JsonColumns.StringList, JsonColumns.StringListComparer);
        builder.Property(c => c.Description).HasColumnName("description");
        builder.Property(c => c.CanonicalUrl).HasColumnName("canonical_url").HasConversion(UriConverter.Instance);
        builder.Property(c => c.CoverImage).HasColumnName("cover_image").HasConversion(UriConverter.Instance);
        // Each image's source, alt text and stored facts; the bytes are in media, by SHA-256.
        builder.Property(c => c.Images).HasColumnName("images")
            .HasConversion(JsonColumns.List<ContentImage>(), JsonColumns.ListComparer<ContentImage>());
        builder.Property(c => c.Series).HasColumnName("series").HasMaxLength(ContentFieldLengths.Series);
        builder.Property(c => c.Language).HasColumnName("language").HasMaxLength(ContentFieldLengths.Language);
        builder.Property(c => c.Thread).HasColumnName("thread");
        builder.Property(c => c.NumberThreadParts).HasColumnName("number_thread_parts");
        builder.Property(c => c.Overrides).HasColumnName("overrides")
            .HasConversion(JsonColumns.NestedMap, JsonColumns.NestedMapComparer);
        builder.Property(c => c.CreatedAt).HasColumnName("created_at");
        // What the repost guard compares (ContentFingerprint): the canonical URL, or a hash of the text. Kept by
        // storage only, so the domain type stays free of it.
        builder.Property<string>(PublicationStore.FingerprintProperty).HasColumnName("fingerprint").HasMaxLength(ContentFieldLengths.Fingerprint);
        builder.HasIndex(PublicationStore.FingerprintProperty).HasDatabaseName("ix_contents_fingerprint");
    }
}

internal sealed class AccountConfiguration(CredentialProtector protector) : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.ToTable("accounts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasColumnName("id").HasConversion(v => v.Value, v => new AccountId(v));
        builder.Property(a => a.Platform).HasColumnName("platform").HasMaxLength(32);
        builder.Property(a => a.DisplayName).HasColumnName("display_name").HasMaxLength(200);
        builder.HasIndex(a => new { a.Platform, a.DisplayName }).IsUnique();
        builder.Property(a => a.Credentials).HasColumnName("credentials")
            .HasConversion(v => protector.Protect(v), v => StoredCredentials.Read(protector, v),
                new ValueComparer<AccountCredentials>(
                    (a, b) => a!.OrderBy(kv => kv.Key).SequenceEqual(b!.OrderBy(kv => kv.Key)),
                    v => v.Count,
                    v => new AccountCredentials(v) { Owner = v.Owner }));
        builder.Property(a => a.BaseUrl).HasColumnName("base_url").HasConversion(UriConverter.Instance);
        builder.Property(a => a.Settings).HasColumnName("settings")
            .HasConversion(JsonColumns.StringMap, JsonColumns.StringMapComparer);
        builder.Property(a => a.CreatedAt).HasColumnName("created_at");
        // When the credentials were last entered (the account created, or its credentials changed through the server).
        // Kept by storage only, so the domain type stays free of it.
        builder.Property<DateTimeOffset?>(HeraldDbContext.CredentialsRenewedAtProperty).HasColumnName("credentials_renewed_at");
        // When the access token expires, where Herald knows it (a renewal's expires_in, or stated by the user); not a secret.
        builder.Property<DateTimeOffset?>(HeraldDbContext.TokenExpiresAtProperty).HasColumnName("token_expires_at");
    }
}

internal sealed class PublicationConfiguration : IEntityTypeConfiguration<Publication>
{
    public void Configure(EntityTypeBuilder<Publication> builder)
    {
        builder.ToTable("publications");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasColumnName("id").HasConversion(v => v.Value, v => new PublicationId(v));
        builder.Property(p => p.ContentId).HasColumnName("content_id").HasConversion(v => v.Value, v => new ContentId(v));
        builder.Property(p => p.AccountId).HasColumnName("account_id").HasConversion(v => v.Value, v => new AccountId(v));
        builder.HasOne<Content>().WithMany().HasForeignKey(p => p.ContentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(p => p.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(p => p.Platform).HasColumnName("platform").HasMaxLength(32);
        builder.Property(p => p.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(32);
        builder.Property(p => p.ScheduledAt).HasColumnName("scheduled_at");
        builder.Property(p => p.TimeZone).HasColumnName("time_zone").HasMaxLength(64);
        builder.Property(p => p.AttemptCount).HasColumnName("attempt_count");
        builder.Property(p => p.RetryCount).HasColumnName("retry_count");
        builder.Property(p => p.MaxRetries).HasColumnName("max_retries");
        builder.Property(p => p.NextAttemptAt).HasColumnName("next_attempt_at");
        builder.Property(p => p.LeaseOwner).HasColumnName("lease_owner").HasMaxLength(200);
        builder.Property(p => p.LeaseExpiresAt).HasColumnName("lease_expires_at");
        builder.Property(p => p.LastErrorKind).HasColumnName("last_error_kind").HasConversion<string>().HasMaxLength(32);
        builder.Property(p => p.LastError).HasColumnName("last_error");
        builder.Property(p => p.ExternalId).HasColumnName("external_id").HasMaxLength(200);
        builder.Property(p => p.Url).HasColumnName("url").HasConversion(UriConverter.Instance);
        builder.Property(p => p.PublishedAt).HasColumnName("published_at");
        // Unique, as platforms that take it drop a second request with the same key: each provider's context says how
        // (a unique index on SQLite; on PostgreSQL a check that it is made from the row's id).
        builder.Property(p => p.IdempotencyKey).HasColumnName("idempotency_key").HasMaxLength(100);
        builder.Property(p => p.Payload).HasColumnName("payload");
        builder.Property(p => p.UncertainSince).HasColumnName("uncertain_since");
        builder.Property(p => p.WorkStartedAt).HasColumnName("work_started_at");
        builder.Property(p => p.RecoveryCount).HasColumnName("recovery_count");
        builder.Property(p => p.ThreadPartIds).HasColumnName("thread_part_ids")
            .HasConversion(JsonColumns.StringList, JsonColumns.StringListComparer);
        builder.Property(p => p.UploadedMedia).HasColumnName("uploaded_media")
            .HasConversion(JsonColumns.List<UploadedMedia>(), JsonColumns.ListComparer<UploadedMedia>());
        builder.Property(p => p.CreatedAt).HasColumnName("created_at");
        builder.Property(p => p.UpdatedAt).HasColumnName("updated_at");
        builder.Property(p => p.Version).HasColumnName("version").IsConcurrencyToken();
        // What the dispatcher asks: "what is due next?" and "whose lease expired?". Partial indexes hold only the
        // rows that can be due (or leased), ordered by time: the claim and the next-wake query read the few rows
        // at the front, so their cost does not grow with the number of future or finished publications.
        builder.HasIndex(p => p.NextAttemptAt).HasDatabaseName(QueueSql.DueIndex)
            .HasFilter(QueueSql.IsDue);
        // The status leads the lease index although its filter already fixes it: with the status in the index
        // condition, PostgreSQL's generic plan for the recovery claim prefers this index to the (status, …) listing
        // ones, which would read every leased row — a whole burst in flight — on every claim to find the few expired.
        builder.HasIndex(p => new { p.Status, p.LeaseExpiresAt }).HasDatabaseName(QueueSql.LeaseIndex)
            .HasFilter(QueueSql.IsLeased);
        // What lists and streams page by: (time, id) keysets. With the id in the index, a page of rows that share
        // one instant (a bulk schedule stamps thousands with one) is read in order and stops at its size, instead of
        // sorting every row at that instant.
        // The repost guard looks up a content's publications on given accounts; it also serves the content's foreign key.
        builder.HasIndex(p => new { p.ContentId, p.AccountId }).HasDatabaseName("ix_publications_content_account");
        builder.HasIndex(p => new { p.CreatedAt, p.Id }).HasDatabaseName("ix_publications_created");
        builder.HasIndex(p => new { p.UpdatedAt, p.Id }).HasDatabaseName("ix_publications_updated");
        // The dashboard's status filter and counts by status (the table pages by creation within one status), and its
        // calendar and chart, which read the publications due between two instants.
        builder.HasIndex(p => new { p.Status, p.CreatedAt, p.Id }).HasDatabaseName("ix_publications_status_created");
        // What needs attention, newest first: read within those statuses, not by walking every newer row of any status.
        builder.HasIndex(p => new { p.Status, p.UpdatedAt, p.Id }).HasDatabaseName("ix_publications_status_updated");
        // With the status, the chart's and calendar's counts by due time are read from the index alone.
        builder.HasIndex(p => new { p.ScheduledAt, p.Status }).HasDatabaseName("ix_publications_scheduled");
    }
}

internal sealed class AttemptConfiguration : IEntityTypeConfiguration<Attempt>
{
    public void Configure(EntityTypeBuilder<Attempt> builder)
    {
        builder.ToTable("attempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(a => a.PublicationId).HasColumnName("publication_id").HasConversion(v => v.Value, v => new PublicationId(v));
        builder.HasOne<Publication>().WithMany().HasForeignKey(a => a.PublicationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.PublicationId, a.Number }).IsUnique();
        // Not a foreign key: a copy of the publication's account, so that the newest attempt of each account (the
        // dashboard's "credentials refused" check) is read from this index instead of every attempt joined to its publication.
        builder.Property(a => a.AccountId).HasColumnName("account_id").HasConversion(v => v.Value, v => new AccountId(v));
        builder.HasIndex(a => new { a.AccountId, a.Id }).HasDatabaseName("ix_attempts_account");
        builder.Property(a => a.Number).HasColumnName("number");
        builder.Property(a => a.StartedAt).HasColumnName("started_at");
        builder.Property(a => a.EndedAt).HasColumnName("ended_at");
        builder.Property(a => a.Outcome).HasColumnName("outcome").HasConversion<string>().HasMaxLength(32);
        builder.Property(a => a.HttpStatus).HasColumnName("http_status");
        builder.Property(a => a.Error).HasColumnName("error");
        builder.Ignore(a => a.Duration);
    }
}

/// <summary>A permit slot of a shared (PostgreSQL) rate limiter: held until completed, counted a window after.</summary>
internal sealed class RateLimitSlot
{
    public Guid Id { get; set; }

    public string Key { get; set; } = "";

    public DateTimeOffset AcquiredAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>A slot whose worker died counts as completed at this instant.</summary>
    public DateTimeOffset HoldUntil { get; set; }
}

/// <summary>A rate-limit key the platform told to wait (a 429 or a reset header).</summary>
internal sealed class RateLimitPark
{
    public string Key { get; set; } = "";

    public DateTimeOffset ParkedUntil { get; set; }
}

internal sealed class RateLimitConfiguration : IEntityTypeConfiguration<RateLimitSlot>, IEntityTypeConfiguration<RateLimitPark>
{
    public void Configure(EntityTypeBuilder<RateLimitSlot> builder)
    {
        builder.ToTable("rate_limit_slots");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasColumnName("id");
        builder.Property(s => s.Key).HasColumnName("key").HasMaxLength(200);
        builder.Property(s => s.AcquiredAt).HasColumnName("acquired_at");
        builder.Property(s => s.CompletedAt).HasColumnName("completed_at");
        builder.Property(s => s.HoldUntil).HasColumnName("hold_until");
        builder.HasIndex(s => s.Key).HasDatabaseName("ix_rate_limit_slots_key");
    }

    public void Configure(EntityTypeBuilder<RateLimitPark> builder)
    {
        builder.ToTable("rate_limit_parks");
        builder.HasKey(p => p.Key);
        builder.Property(p => p.Key).HasColumnName("key").HasMaxLength(200);
        builder.Property(p => p.ParkedUntil).HasColumnName("parked_until");
    }
}

internal static class UriConverter
{
    // EF never passes null to a converter; the nullable type only matches the nullable Uri properties.
    public static Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<Uri?, string> Instance { get; } =
        new(v => v!.ToString(), v => new Uri(v, UriKind.RelativeOrAbsolute));
}
