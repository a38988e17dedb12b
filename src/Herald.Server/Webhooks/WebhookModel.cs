using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Webhooks;

/// <summary>The webhook tables: <c>webhooks</c>, <c>webhook_events</c>, <c>webhook_deliveries</c>.</summary>
internal static class WebhookModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        var webhook = modelBuilder.Entity<WebhookRecord>();
        webhook.ToTable("webhooks");
        webhook.HasKey(w => w.Id);
        webhook.Property(w => w.Id).HasColumnName("id");
        webhook.Property(w => w.Url).HasColumnName("url").HasMaxLength(WebhookInput.MaxUrlLength);
        webhook.Property(w => w.EventTypes).HasColumnName("event_types").HasMaxLength(1000);
        webhook.Property(w => w.Description).HasColumnName("description").HasMaxLength(WebhookInput.MaxDescriptionLength);
        webhook.Property(w => w.Secret).HasColumnName("secret");
        webhook.Property(w => w.Position).HasColumnName("position");
        webhook.Property(w => w.CreatedAt).HasColumnName("created_at");

        var e = modelBuilder.Entity<WebhookEventRecord>();
        e.ToTable("webhook_events");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasColumnName("id").ValueGeneratedOnAdd();
        e.Property(x => x.WebhookId).HasColumnName("webhook_id");
        e.HasOne<WebhookRecord>().WithMany().HasForeignKey(x => x.WebhookId).OnDelete(DeleteBehavior.Cascade);
        e.Property(x => x.PublicationId).HasColumnName("publication_id");
        e.Property(x => x.Type).HasColumnName("type").HasMaxLength(64);
        e.Property(x => x.Body).HasColumnName("body");
        e.Property(x => x.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.AttemptCount).HasColumnName("attempt_count");
        e.Property(x => x.NextAttemptAt).HasColumnName("next_attempt_at");
        e.Property(x => x.CreatedAt).HasColumnName("created_at");
        e.Property(x => x.DeliveredAt).HasColumnName("delivered_at");
        e.HasIndex(x => new { x.WebhookId, x.PublicationId, x.Id }).HasDatabaseName("ix_webhook_events_publication");
        e.HasIndex(x => new { x.Status, x.NextAttemptAt }).HasDatabaseName("ix_webhook_events_due");

        var d = modelBuilder.Entity<WebhookDeliveryRecord>();
        d.ToTable("webhook_deliveries");
        d.HasKey(x => x.Id);
        d.Property(x => x.Id).HasColumnName("id").ValueGeneratedOnAdd();
        d.Property(x => x.WebhookId).HasColumnName("webhook_id");
        d.HasOne<WebhookRecord>().WithMany().HasForeignKey(x => x.WebhookId).OnDelete(DeleteBehavior.Cascade);
        d.Property(x => x.EventId).HasColumnName("event_id");
        d.HasOne<WebhookEventRecord>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
        d.Property(x => x.Attempt).HasColumnName("attempt");
        d.Property(x => x.AttemptedAt).HasColumnName("attempted_at");
        d.Property(x => x.StatusCode).HasColumnName("status_code");
        d.Property(x => x.DurationMs).HasColumnName("duration_ms");
        d.Property(x => x.Succeeded).HasColumnName("succeeded");
        d.Property(x => x.Error).HasColumnName("error").HasMaxLength(500);
        d.HasIndex(x => new { x.WebhookId, x.Id }).HasDatabaseName("ix_webhook_deliveries_webhook");
    }
}
