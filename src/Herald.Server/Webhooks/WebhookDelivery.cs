using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Hangfire;
using Herald.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Webhooks;

/// <summary>
/// The Hangfire job that delivers one publication's events to one webhook, oldest first, the Standard Webhooks way
/// (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>). Only the oldest undelivered event is ever
/// sent: it is claimed with a conditional update (a lease), so two jobs for the same pair never send at once, and a
/// later event never overtakes an earlier one. A failed attempt is recorded, and the event waits with exponential
/// backoff (a scheduled job brings it back); after <see cref="WebhookOptions.MaxAttempts"/> it is given up and the
/// next goes. Every attempt is a row in <c>webhook_deliveries</c>.
/// </summary>
internal sealed class WebhookDelivery(
    ServerDbContext db,
    WebhookSecrets secrets,
    WebhookQueue queue,
    IHttpClientFactory http,
    WebhookOptions options,
    WebhookMetrics metrics,
    TimeProvider clock,
    ILogger<WebhookDelivery> logger)
{
    public const string HttpClientName = "herald-webhooks";

    private static readonly WebhookEventStatus[] Open = [WebhookEventStatus.Pending, WebhookEventStatus.Sending];

    /// <summary>The <c>webhook-id</c> of an event: the same on every attempt, so a receiver can drop repeats.</summary>
    public static string MessageId(long eventId) => "msg_" + eventId.ToString(CultureInfo.InvariantCulture);

    /// <summary>A job made before retries carried their time (still in a job store after an upgrade).</summary>
    [Queue(WebhookQueue.Name)]
    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(Guid webhookId, Guid publicationId, CancellationToken cancellationToken) =>
        RunAsync(webhookId, publicationId, null, cancellationToken);

    /// <summary>
    /// Sends the pair's open events in order. <paramref name="retryAt"/> is set on the job a failed attempt scheduled:
    /// the time of that event's next attempt.
    /// </summary>
    [Queue(WebhookQueue.Name)]
    [AutomaticRetry(Attempts = 0)] // the job retries by itself, with its own backoff; a lost job is found again by the sweep
    public async Task RunAsync(Guid webhookId, Guid publicationId, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var head = await db.WebhookEvents.AsNoTracking()
                .Where(e => e.WebhookId == webhookId && e.PublicationId == publicationId && Open.Contains(e.Status))
                .OrderBy(e => e.Id)
                .FirstOrDefaultAsync(cancellationToken);
            var now = clock.GetUtcNow();
            if (head is { Status: WebhookEventStatus.Pending } && head.NextAttemptAt > now)
            {
                // The retry's own job, woken before its time (Hangfire's whole seconds, another node's clock): it comes
                // back then, or the attempt would wait for the sweep. Any other job for the pair (a newer event's, the
                // sweep's) just ends: the retry's job exists already. Later events wait behind the oldest.
                if (retryAt is { } at && (at - head.NextAttemptAt).Duration() < TimeSpan.FromMilliseconds(1))
                {
                    queue.Schedule(webhookId, publicationId, head.NextAttemptAt);
                }

                return;
            }

            // Nothing left, or another job is sending the oldest (it goes on with the rest).
            if (head is null || head.NextAttemptAt > now || !await ClaimAsync(head, now, cancellationToken))
            {
                return;
            }

            var webhook = await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == webhookId, cancellationToken);
            if (webhook is null)
            {
                return; // deleted meanwhile; its events went with it
            }

            var attempt = head.AttemptCount + 1;
            var (statusCode, error, duration) = await SendAsync(webhook, head, cancellationToken);
            metrics.Record(error is null, duration);
            db.WebhookDeliveries.Add(new WebhookDeliveryRecord
            {
                WebhookId = webhookId,
                EventId = head.Id,
                Attempt = attempt,
                AttemptedAt = now,
                StatusCode = statusCode,
                DurationMs = duration.TotalMilliseconds,
                Succeeded = error is null,
                Error = error,
            });
            var record = await db.WebhookEvents.FirstAsync(e => e.Id == head.Id, cancellationToken);
            record.AttemptCount = attempt;
            if (error is null)
            {
                record.Status = WebhookEventStatus.Delivered;
                record.DeliveredAt = clock.GetUtcNow();
            }
            else if (attempt >= options.MaxAttempts)
            {
                record.Status = WebhookEventStatus.GaveUp;
                WebhookLog.GaveUp(logger, webhookId, MessageId(head.Id), publicationId, attempt, error);
            }
            else
            {
                var delay = options.RetryDelay(attempt);
                record.Status = WebhookEventStatus.Pending;
                record.NextAttemptAt = clock.GetUtcNow() + delay;
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
                WebhookLog.Retrying(logger, webhookId, MessageId(head.Id), publicationId, attempt, error, delay);
                queue.Schedule(webhookId, publicationId, record.NextAttemptAt);
                return;
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Takes the event for one attempt: only if nobody changed it since it was read.</summary>
    private async Task<bool> ClaimAsync(WebhookEventRecord head, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lease = now + options.Timeout + TimeSpan.FromMinutes(1);
        var claimed = await db.WebhookEvents
            .Where(e => e.Id == head.Id && e.Status == head.Status && e.NextAttemptAt == head.NextAttemptAt && e.AttemptCount == head.AttemptCount)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, WebhookEventStatus.Sending).SetProperty(e => e.NextAttemptAt, lease), cancellationToken);
        return claimed == 1;
    }

    private async Task<(int? StatusCode, string? Error, TimeSpan Duration)> SendAsync(
        WebhookRecord webhook, WebhookEventRecord e, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (secrets.Unprotect(webhook.Id, webhook.Secret) is not { } secret)
        {
            return (null, "the webhook's secret cannot be decrypted with this server's credential key; delete the webhook and add it again",
                Stopwatch.GetElapsedTime(started));
        }

        var id = MessageId(e.Id);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = new StringContent(e.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(secret, id, timestamp, e.Body));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Herald-Webhooks", "1"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return (status, response.IsSuccessStatusCode ? null : $"the receiver answered HTTP {status}", Stopwatch.GetElapsedTime(started));
        }
        catch (HttpRequestException ex)
        {
            var error = ex.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "the receiver's host name did not resolve",
                HttpRequestError.ConnectionError => "could not connect to the receiver",
                HttpRequestError.SecureConnectionError => "the TLS connection to the receiver failed",
                _ => "the request to the receiver failed",
            };
            return (null, error, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"the receiver did not answer within {options.Timeout.TotalSeconds:0.#} s", Stopwatch.GetElapsedTime(started));
        }
    }
}
