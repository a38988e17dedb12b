using Herald.Server.Data;
using Herald.Server.Events;
using Herald.Server.Hosting;
using Herald.Server.Keys;
using Herald.Server.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Webhooks;

/// <summary>A webhook as listed: never its secret.</summary>
public sealed record WebhookInfo(Guid Id, string Url, IReadOnlyList<string> EventTypes, string? Description, DateTimeOffset CreatedAt);

/// <summary>A webhook just created: <see cref="Secret"/> is in this answer only.</summary>
public sealed record CreatedWebhookResponse(WebhookInfo Webhook, string Secret);

/// <summary>One delivery attempt of one event.</summary>
public sealed record WebhookDeliveryInfo(
    long Id, string MessageId, string EventType, Guid PublicationId, int Attempt, DateTimeOffset AttemptedAt,
    int? StatusCode, double DurationMs, bool Succeeded, string? Error);

/// <summary>A page of delivery attempts, oldest first; <see cref="Next"/> is the <c>after</c> of the next page.</summary>
public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDeliveryInfo> Items, long? Next);

/// <summary>
/// <c>/api/v1/webhooks</c>: create (admin; the signing secret is shown once), list, show, delete (admin), and every
/// delivery attempt at <c>/webhooks/{id}/deliveries</c>.
/// </summary>
internal static class WebhooksApi
{
    private const int DefaultPage = 100;
    private const int MaxPage = 500;

    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/webhooks").WithTags("Webhooks");
        group.MapPost("/", CreateAsync).RequireScope(ApiScopes.Admin)
            .WithSummary("Adds a webhook: URL and event types (none: every type). The signing secret is in this answer only.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", async (ServerDbContext db, CancellationToken ct) =>
                TypedResults.Ok((await db.Webhooks.AsNoTracking().ToListAsync(ct)).OrderBy(w => w.CreatedAt).Select(ToInfo).ToList()))
            .RequireScope(ApiScopes.Read).WithSummary("Lists the webhooks (never a secret).");
        group.MapGet("/{id}", async Task<Results<Ok<WebhookInfo>, ProblemHttpResult>> (string id, ServerDbContext db, CancellationToken ct) =>
                await FindAsync(db, id, ct) is { } webhook ? TypedResults.Ok(ToInfo(webhook)) : ProblemResults.NotFound("webhook", id))
            .RequireScope(ApiScopes.Read).WithSummary("One webhook (never its secret).");
        group.MapDelete("/{id}", DeleteAsync).RequireScope(ApiScopes.Admin)
            .WithSummary("Deletes a webhook with its pending events and its delivery history; nothing more is sent to it.");
        group.MapGet("/{id}/deliveries", DeliveriesAsync).RequireScope(ApiScopes.Read)
            .WithSummary("Every delivery attempt of the webhook, oldest first, with the receiver's HTTP status; page with after.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    private static async Task<Results<Created<CreatedWebhookResponse>, ProblemHttpResult>> CreateAsync(
        CreateWebhookRequest request, ServerDbContext db, WebhookSecrets secrets, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (WebhookInput.Problems(request) is { Count: > 0 } problems)
        {
            return ProblemResults.Invalid(problems);
        }

        var secret = WebhookSignature.NewSecret();
        var id = Guid.CreateVersion7();
        var record = new WebhookRecord
        {
            Id = id,
            Url = request.Url!,
            EventTypes = string.Join(',', (request.EventTypes ?? []).Distinct(StringComparer.Ordinal)),
            Description = request.Description,
            Secret = secrets.Protect(id, secret),
            // Events for the changes from now on.
            Position = PublicationChanges.Now(clock).Encode(),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Webhooks.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/webhooks/{id}", new CreatedWebhookResponse(ToInfo(record), secret));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, ServerDbContext db, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, id, cancellationToken) is not { } webhook)
        {
            return ProblemResults.NotFound("webhook", id);
        }

        await db.WebhookDeliveries.Where(d => d.WebhookId == webhook.Id).ExecuteDeleteAsync(cancellationToken);
        await db.WebhookEvents.Where(e => e.WebhookId == webhook.Id).ExecuteDeleteAsync(cancellationToken);
        await db.Webhooks.Where(w => w.Id == webhook.Id).ExecuteDeleteAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<WebhookDeliveryPage>, ProblemHttpResult>> DeliveriesAsync(
        string id, ServerDbContext db, long? after, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxPage)
        {
            return ProblemResults.Invalid("limit", $"must be 1 to {MaxPage}");
        }

        if (await FindAsync(db, id, cancellationToken) is not { } webhook)
        {
            return ProblemResults.NotFound("webhook", id);
        }

        var take = limit ?? DefaultPage;
        var from = after ?? 0;
        var rows = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.WebhookId == webhook.Id && d.Id > from)
            .Join(db.WebhookEvents, d => d.EventId, e => e.Id, (d, e) => new { Delivery = d, e.Type, e.PublicationId })
            .OrderBy(r => r.Delivery.Id)
            .Take(take + 1)
            .ToListAsync(cancellationToken);
        var items = rows.Take(take).Select(r => new WebhookDeliveryInfo(
            r.Delivery.Id, WebhookDelivery.MessageId(r.Delivery.EventId), r.Type, r.PublicationId, r.Delivery.Attempt, r.Delivery.AttemptedAt,
            r.Delivery.StatusCode, r.Delivery.DurationMs, r.Delivery.Succeeded, r.Delivery.Error)).ToList();
        return TypedResults.Ok(new WebhookDeliveryPage(items, rows.Count > take ? items[^1].Id : null));
    }

    private static async Task<WebhookRecord?> FindAsync(ServerDbContext db, string id, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var guid) ? await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == guid, cancellationToken) : null;

    private static WebhookInfo ToInfo(WebhookRecord r) =>
        new(r.Id, r.Url, r.EventTypes.Split(',', StringSplitOptions.RemoveEmptyEntries), r.Description, r.CreatedAt);
}
