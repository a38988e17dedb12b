using System.Text.Json;
using Herald.Server.Data;
using Herald.Server.Events;
using Herald.Server.Hosting;
using Herald.Server.Publications;
using Herald.Storage;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Webhooks;

/// <summary>
/// Turns publication changes into webhook events: for each webhook, the changes after its position (the same reading
/// the event stream does), one event per change of a subscribed type, and the new position — in one transaction whose
/// position update only succeeds if nobody moved it meanwhile, so two worker nodes never make the same event twice.
/// </summary>
internal sealed class WebhookFanOut(ServerDbContext db, HeraldDbContext herald, PostLinks links, TimeProvider clock)
{
    private const int BatchSize = 500;

    private static readonly JsonSerializerOptions Json = CreateJson();

    /// <summary>Makes the events of every webhook; returns the (webhook, publication) pairs that got new events.</summary>
    public async Task<IReadOnlyList<(Guid WebhookId, Guid PublicationId)>> RunAsync(CancellationToken cancellationToken)
    {
        var touched = new List<(Guid, Guid)>();
        await links.RefreshAsync(herald, cancellationToken);
        var webhooks = await db.Webhooks.AsNoTracking().ToListAsync(cancellationToken);
        foreach (var webhook in webhooks)
        {
            touched.AddRange(await RunAsync(webhook, cancellationToken));
        }

        return touched;
    }

    private async Task<IReadOnlyList<(Guid, Guid)>> RunAsync(WebhookRecord webhook, CancellationToken cancellationToken)
    {
        if (!PublicationCursor.TryDecode(webhook.Position, out var position) || position is null)
        {
            position = PublicationChanges.Now(clock);
        }

        var changes = await PublicationChanges.AfterAsync(herald, clock, position, BatchSize, cancellationToken);
        if (changes.Count == 0)
        {
            return [];
        }

        var types = webhook.EventTypes.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var now = clock.GetUtcNow();
        var events = new List<WebhookEventRecord>();
        foreach (var publication in changes)
        {
            position = PublicationChanges.Past(publication);
            var type = WebhookEventTypes.Of(publication.Status);
            if (types.Length > 0 && !types.Contains(type, StringComparer.Ordinal))
            {
                continue;
            }

            events.Add(new WebhookEventRecord
            {
                WebhookId = webhook.Id,
                PublicationId = publication.Id.Value,
                Type = type,
                Body = JsonSerializer.Serialize(new WebhookPayload(type, publication.UpdatedAt, EventsApi.PublicationEvent.From(publication, links)), Json),
                Status = WebhookEventStatus.Pending,
                NextAttemptAt = now,
                CreatedAt = now,
            });
        }

        var next = position.Encode();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await db.Webhooks.Where(w => w.Id == webhook.Id && w.Position == webhook.Position)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.Position, next), cancellationToken);
        if (moved != 1)
        {
            return []; // another node made these events, or the webhook is gone
        }

        db.WebhookEvents.AddRange(events);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return [.. events.Select(e => (e.WebhookId, e.PublicationId)).Distinct()];
    }

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ServerJson.Configure(json);
        return json;
    }
}

/// <summary>A webhook body: the event type, when the change happened, and the publication as the event stream shows it.</summary>
internal sealed record WebhookPayload(string Type, DateTimeOffset Timestamp, EventsApi.PublicationEvent Data);
