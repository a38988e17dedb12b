using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Herald.Platforms;
using Herald.Publications;
using Herald.Server.Hosting;
using Herald.Server.Keys;
using Herald.Server.Publications;
using Herald.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Herald.Server.Events;

/// <summary>
/// <c>GET /api/v1/events</c>: Server-Sent Events of publication changes (id, status, URL, error), so a client sees
/// progress without polling. Each event is a publication's state after a change, read from the database — so it works
/// whichever node's worker made the change — in update order; the event id is a position, and a client that reconnects
/// with <c>Last-Event-ID</c> (or <c>?lastEventId=</c>) gets every change after it.
/// </summary>
internal static class EventsApi
{
    /// <summary>How often the stream looks for changes.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private const int BatchSize = 500;

    /// <summary>
    /// How long one dashboard stream lasts before the server ends it; the browser reconnects at once from where it was,
    /// through the sign-in again, so a signed-out or removed user stops receiving.
    /// </summary>
    private static readonly TimeSpan DashboardStreamLifetime = TimeSpan.FromMinutes(10);

    /// <summary>One publication change as the stream sends it.</summary>
    public sealed record PublicationEvent(
        string Id, string ContentId, string AccountId, string Platform, PublicationStatus Status, int AttemptCount,
        Uri? Url, PublishOutcomeKind? ErrorKind, string? Error, DateTimeOffset? NextAttemptAt, DateTimeOffset UpdatedAt)
    {
        public static PublicationEvent From(PublicationSummary p, PostLinks links) =>
            new(p.Id.ToString(), p.ContentId.ToString(), p.AccountId.ToString(), p.Platform, p.Status, p.AttemptCount,
                links.Of(p), p.LastErrorKind, p.LastError, p.NextAttemptAt, p.UpdatedAt);
    }

    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/events", Stream).WithTags("Events").RequireScope(ApiScopes.Read)
            .WithSummary("Server-Sent Events of every publication change; resumable with Last-Event-ID.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    /// <summary>
    /// <c>GET /dashboard/events</c>: the same stream for the dashboard's pages, behind its sign-in instead of a key. The
    /// publication tables follow it to update their rows live.
    /// </summary>
    public static IEndpointRouteBuilder MapDashboardEvents(this IEndpointRouteBuilder app, string policy)
    {
        app.MapGet("/dashboard/events", (HttpContext context, IServiceScopeFactory scopes, PostLinks links, TimeProvider clock, IHostApplicationLifetime lifetime, string? lastEventId) =>
                Open(context, scopes, links, clock, lifetime, lastEventId, DashboardStreamLifetime))
            .RequireAuthorization(policy).ExcludeFromDescription();
        return app;
    }

    private static Results<ServerSentEventsResult<PublicationEvent>, ProblemHttpResult> Stream(
        HttpContext context, IServiceScopeFactory scopes, PostLinks links, TimeProvider clock, IHostApplicationLifetime lifetime, string? lastEventId = null) =>
        Open(context, scopes, links, clock, lifetime, lastEventId, maxLifetime: null);

    /// <summary>
    /// The stream from the client's position. It ends when the client goes away, when the server begins to stop (an
    /// open stream would otherwise hold the shutdown until its timeout, taking the time the workers need to finish),
    /// or after <paramref name="maxLifetime"/>; a client's EventSource then reconnects with its last event id.
    /// </summary>
    private static Results<ServerSentEventsResult<PublicationEvent>, ProblemHttpResult> Open(
        HttpContext context, IServiceScopeFactory scopes, PostLinks links, TimeProvider clock, IHostApplicationLifetime lifetime,
        string? lastEventId, TimeSpan? maxLifetime)
    {
        var resume = context.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? lastEventId;
        PublicationCursor? from = null;
        if (resume is not null && !PublicationCursor.TryDecode(resume, out from))
        {
            return Problems.ProblemResults.Invalid("Last-Event-ID", "is not an event id this stream gave out; connect without it to start from now");
        }

        from ??= PublicationChanges.Now(clock);
        var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        context.Response.RegisterForDispose(end);
        if (maxLifetime is { } lasting)
        {
            end.CancelAfter(lasting);
        }

        return TypedResults.ServerSentEvents(ReadAsync(context.Response, scopes, links, clock, from, end.Token));
    }

    private static async IAsyncEnumerable<SseItem<PublicationEvent>> ReadAsync(
        HttpResponse response, IServiceScopeFactory scopes, PostLinks links, TimeProvider clock, PublicationCursor position,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!await SendHeadersAsync(response, cancellationToken))
        {
            yield break; // the server began to stop (or the client left) before the stream began
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var changed = await ChangesAfterAsync(scopes, links, clock, position, cancellationToken);
            if (changed is null)
            {
                yield break; // the client left or the server is stopping
            }

            foreach (var p in changed)
            {
                position = PublicationChanges.Past(p);
                yield return new SseItem<PublicationEvent>(PublicationEvent.From(p, links), "publication")
                {
                    EventId = position.Encode(),
                };
            }

            if (changed.Count < BatchSize && !await WaitAsync(clock, cancellationToken))
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Sends the stream's headers, which the result has set before it reads the first event: otherwise a client waits
    /// for them until the first change, which on a quiet server may be hours away. False when the stream ended while
    /// they were being sent: the stream then ends without an error (a cancelled flush would otherwise fail the request).
    /// </summary>
    internal static async Task<bool> SendHeadersAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        try
        {
            await response.StartAsync(cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// The settled changes after <paramref name="position"/>, in order; null when the stream is ending (the client left,
    /// the server is stopping). A stopping server may dispose its services while a read is under way (a test host does
    /// not wait for open requests as Kestrel does): that too ends the stream quietly rather than failing the response.
    /// </summary>
    internal static async Task<List<PublicationSummary>?> ChangesAfterAsync(
        IServiceScopeFactory scopes, PostLinks links, TimeProvider clock, PublicationCursor position, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
            await links.RefreshAsync(db, cancellationToken);
            return await PublicationChanges.AfterAsync(db, clock, position, BatchSize, cancellationToken);
        }
        catch (Exception e) when ((e is OperationCanceledException or ObjectDisposedException) && cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task<bool> WaitAsync(TimeProvider clock, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(PollInterval, clock, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
