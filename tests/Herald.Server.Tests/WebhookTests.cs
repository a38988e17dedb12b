using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Hangfire;
using Herald.Server.Data;
using Herald.Server.Keys;
using Herald.Server.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests;

/// <summary>
/// Signed webhooks end to end: a real receiver on a loopback port that refuses the first three deliveries still gets
/// every event, each signature verifies, and per publication the events arrive in the order of its changes. Retries
/// wait 200 ms, doubling (the production default is 30 s), so no test waits minutes.
/// </summary>
public abstract class WebhookTests(ServerFactory server)
{
    [Fact]
    public async Task Deliveries_ToAReceiverThatFailsThreeTimes_AllArriveSignedAndInOrderPerPublication()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 3);
        using var admin = await server.ClientWithScopesAsync(ApiScopes.Admin);
        var created = await admin.PostJsonAsync("/api/v1/webhooks", new { url = receiver.Url.ToString(), description = "test receiver" })
            .ExpectAsync(HttpStatusCode.Created);
        var secret = (string)created["secret"]!;
        var webhookId = (string)created["webhook"]!["id"]!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);

        var posted = await admin.PostJsonAsync("/api/v1/posts", new
        {
            title = $"Hooked {Guid.NewGuid():N}",
            body = "A body.",
            targets = new[] { "medium", "devto", "mastodon" },
        }).ExpectAsync(HttpStatusCode.Created);
        var publications = posted["publications"]!.AsArray().Select(p => (string)p!["id"]!).ToList();

        // Done when each publication's Published event was answered 200 and Herald has recorded every attempt the
        // receiver saw: the receiver hears a request before Herald records its outcome, which may lag on a busy machine.
        var deliveries = await Api.WaitForAsync(
            async () => (await admin.GetAsync($"/api/v1/webhooks/{webhookId}/deliveries?limit=500").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray(),
            items => publications.All(p => receiver.Received.Any(r => r.Answered == 200 && PublicationOf(r) == p && StatusOf(r) == "Published")) &&
                items.Count == receiver.Received.Count,
            "every publication's Published event to be delivered and every attempt recorded");

        var received = receiver.Received.ToList();
        Assert.Equal(3, received.Count(r => r.Answered == 503));
        Assert.All(received, r => Assert.True(
            WebhookSignature.Verify(secret, r.Id, long.Parse(r.Timestamp, CultureInfo.InvariantCulture), r.Body, r.Signature), $"signature of {r.Id}"));
        // Every refused message came again and was taken.
        Assert.All(received.Where(r => r.Answered == 503), failed => Assert.Contains(received, r => r.Id == failed.Id && r.Answered == 200));

        foreach (var publication in publications)
        {
            var taken = received.Where(r => r.Answered == 200 && PublicationOf(r) == publication).ToList();
            // Each event once, in the order the publication changed: message ids and change times only go up.
            Assert.Equal(taken.Select(r => r.Id).Distinct(), taken.Select(r => r.Id));
            Assert.Equal(taken.Select(r => MessageNumber(r.Id)).Order(), taken.Select(r => MessageNumber(r.Id)));
            Assert.Equal(taken.Select(UpdatedAtOf).Order(), taken.Select(UpdatedAtOf));
            Assert.Equal("Published", StatusOf(taken[^1]));
        }

        // The API lists every attempt the receiver saw: the refusals with their status, the rest as delivered.
        deliveries = (await admin.GetAsync($"/api/v1/webhooks/{webhookId}/deliveries?limit=500").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        var listed = deliveries.Select(d => ((string)d!["messageId"]!, (bool)d["succeeded"]!)).ToList();
        Assert.Equal(received.Select(r => (r.Id, r.Answered == 200)).Order(), listed.Order());
        var refused = deliveries.Where(d => !(bool)d!["succeeded"]!).ToList();
        Assert.All(refused, d => Assert.Equal(503, (int)d!["statusCode"]!));
        Assert.All(refused, d => Assert.Equal("the receiver answered HTTP 503", (string)d!["error"]!));
        Assert.Contains(deliveries, d => (int)d!["attempt"]! > 1 && (bool)d["succeeded"]!);

        // The secret was shown once: neither the list nor the webhook shows it.
        var listedHooks = await admin.GetAsync("/api/v1/webhooks").ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(secret, listedHooks.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(listedHooks.AsArray(), w => (string)w!["id"]! == webhookId);

        // Both outcomes are counted at /metrics.
        await Api.WaitForAsync(() => admin.GetStringAsync("/metrics"),
            t => t.Contains("herald_webhook_deliveries_total{", StringComparison.Ordinal) && t.Contains("outcome=\"failed\"", StringComparison.Ordinal) &&
                t.Contains("outcome=\"delivered\"", StringComparison.Ordinal) && t.Contains("herald_webhook_delivery_duration_seconds_bucket{", StringComparison.Ordinal),
            "the webhook metrics", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Deliveries_PageAcrossWithAfter()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 0);
        using var admin = await server.ClientWithScopesAsync(ApiScopes.Admin);
        var created = await admin.PostJsonAsync("/api/v1/webhooks", new { url = receiver.Url.ToString(), eventTypes = new[] { "publication.published" } })
            .ExpectAsync(HttpStatusCode.Created);
        var webhookId = (string)created["webhook"]!["id"]!;
        await admin.PostJsonAsync("/api/v1/posts", new { title = $"Paged {Guid.NewGuid():N}", body = "A body.", targets = new[] { "medium", "devto", "x" } })
            .ExpectAsync(HttpStatusCode.Created);
        // The receiver hears a request before Herald records its attempt: wait for the records.
        await Api.WaitForAsync(
            async () => (await admin.GetAsync($"/api/v1/webhooks/{webhookId}/deliveries?limit=500").ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray().Count,
            n => n >= 3, "three recorded deliveries");

        var ids = new List<long>();
        string url = $"/api/v1/webhooks/{webhookId}/deliveries?limit=2";
        while (true)
        {
            var page = await admin.GetAsync(url).ExpectAsync(HttpStatusCode.OK);
            ids.AddRange(page["items"]!.AsArray().Select(d => (long)d!["id"]!));
            Assert.All(page["items"]!.AsArray(), d => Assert.Equal("publication.published", (string)d!["eventType"]!));
            if (page["next"] is not { } next)
            {
                break;
            }

            url = $"/api/v1/webhooks/{webhookId}/deliveries?limit=2&after={(long)next}";
        }

        Assert.Equal(3, ids.Count);
        Assert.Equal(ids.Order(), ids);
        Assert.All(receiver.Received, r => Assert.Equal("Published", StatusOf(r)));
    }

    [Fact]
    public async Task Delivery_RetryJobWokenBeforeItsTime_ComesBackAtThatWholeSecond_OtherJobsForThePairJustEnd()
    {
        using var admin = await server.ClientWithScopesAsync(ApiScopes.Admin);
        var created = await admin.PostJsonAsync("/api/v1/webhooks", new { url = "https://example.com/not-due" }).ExpectAsync(HttpStatusCode.Created);
        var webhookId = Guid.Parse((string)created["webhook"]!["id"]!);
        try
        {
            var publicationId = Guid.NewGuid();
            // Due in an hour at .7 of a second: Hangfire, which keeps whole seconds, would hand a job for it out at .0.
            var now = DateTimeOffset.UtcNow;
            var due = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddHours(1).AddMilliseconds(700);
            await using var scope = server.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
            db.WebhookEvents.Add(new WebhookEventRecord
            {
                WebhookId = webhookId,
                PublicationId = publicationId,
                Type = WebhookEventTypes.Of(Herald.Publications.PublicationStatus.Published),
                Body = "{}",
                Status = WebhookEventStatus.Pending,
                NextAttemptAt = due,
                CreatedAt = now,
            });
            await db.SaveChangesAsync();
            List<DateTime> Scheduled() => [.. server.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledJobs(0, 10_000)
                .Where(j => j.Value.Job?.Args is [_, Guid p, ..] && p == publicationId)
                .Select(j => j.Value.EnqueueAt)];

            // A newer event's job or the sweep's, early: it ends, adding nothing (the retry has its own job).
            await scope.ServiceProvider.GetRequiredService<WebhookDelivery>().RunAsync(webhookId, publicationId, null, CancellationToken.None);
            Assert.Empty(Scheduled());

            // The retry's own job, early: it comes back at the next whole second.
            await scope.ServiceProvider.GetRequiredService<WebhookDelivery>().RunAsync(webhookId, publicationId, due, CancellationToken.None);
            Assert.Equal([due.UtcDateTime.AddMilliseconds(300)], Scheduled());
            var untouched = await db.WebhookEvents.AsNoTracking().SingleAsync(e => e.PublicationId == publicationId);
            Assert.Equal((WebhookEventStatus.Pending, 0, due), (untouched.Status, untouched.AttemptCount, untouched.NextAttemptAt));
        }
        finally
        {
            await admin.DeleteAsync($"/api/v1/webhooks/{webhookId}").ExpectAsync(HttpStatusCode.NoContent);
        }
    }

    [Fact]
    public async Task Webhooks_Refusals_NameTheFieldAndStoreNothing()
    {
        using var admin = await server.ClientWithScopesAsync(ApiScopes.Admin);
        var before = (await admin.GetAsync("/api/v1/webhooks").ExpectAsync(HttpStatusCode.OK)).AsArray().Count;
        var invalid = await admin.PostJsonAsync("/api/v1/webhooks", new { url = "ftp://example.com/x", eventTypes = new[] { "publication.published", "post.liked" } })
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Api.AssertProblem(invalid, 422);
        Assert.NotNull(invalid["errors"]!["url"]);
        Assert.Contains("post.liked", (string)invalid["errors"]!["eventTypes[1]"]![0]!, StringComparison.Ordinal);
        Assert.NotNull((await admin.PostJsonAsync("/api/v1/webhooks", new { }).ExpectAsync(HttpStatusCode.UnprocessableEntity))["errors"]!["url"]);
        Assert.Equal(before, (await admin.GetAsync("/api/v1/webhooks").ExpectAsync(HttpStatusCode.OK)).AsArray().Count);

        using var writer = await server.ClientWithScopesAsync(ApiScopes.Write);
        Api.AssertProblem(await writer.PostJsonAsync("/api/v1/webhooks", new { url = "https://example.com/hook" }).ExpectAsync(HttpStatusCode.Forbidden), 403);
        using var anonymous = server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/webhooks")).StatusCode);

        var missing = Guid.NewGuid();
        Api.AssertProblem(await admin.GetAsync($"/api/v1/webhooks/{missing}/deliveries").ExpectAsync(HttpStatusCode.NotFound), 404);
        Api.AssertProblem(await admin.DeleteAsync($"/api/v1/webhooks/{missing}").ExpectAsync(HttpStatusCode.NotFound), 404);

        var created = await admin.PostJsonAsync("/api/v1/webhooks", new { url = "https://example.com/hook" }).ExpectAsync(HttpStatusCode.Created);
        var id = (string)created["webhook"]!["id"]!;
        Assert.Empty(created["webhook"]!["eventTypes"]!.AsArray());
        Api.AssertProblem(await admin.GetAsync($"/api/v1/webhooks/{id}/deliveries?limit=0").ExpectAsync(HttpStatusCode.UnprocessableEntity), 422);
        await admin.GetAsync($"/api/v1/webhooks/{id}").ExpectAsync(HttpStatusCode.OK);
        await admin.DeleteAsync($"/api/v1/webhooks/{id}").ExpectAsync(HttpStatusCode.NoContent);
        Api.AssertProblem(await admin.GetAsync($"/api/v1/webhooks/{id}").ExpectAsync(HttpStatusCode.NotFound), 404);
    }

    private static JsonNode Data(WebhookReceiver.Delivery r) => JsonNode.Parse(r.Body)!["data"]!;

    private static string PublicationOf(WebhookReceiver.Delivery r) => (string)Data(r)["id"]!;

    private static string StatusOf(WebhookReceiver.Delivery r) => (string)Data(r)["status"]!;

    private static DateTimeOffset UpdatedAtOf(WebhookReceiver.Delivery r) => (DateTimeOffset)Data(r)["updatedAt"]!;

    private static long MessageNumber(string id) => long.Parse(id["msg_".Length..], CultureInfo.InvariantCulture);
}

/// <summary>A server whose webhook retries wait 200 ms, doubling, and whose events are made every 200 ms.</summary>
public class QuickWebhookServerFactory(TestDatabase database) : ServerFactory(database, new Dictionary<string, string?>
{
    ["Herald:Server:Webhooks:FirstRetryDelay"] = "00:00:00.200",
    ["Herald:Server:Webhooks:PollInterval"] = "00:00:00.200",
});

/// <summary>On SQLite.</summary>
public sealed class SqliteWebhookServerFactory() : QuickWebhookServerFactory(TestDatabase.Sqlite);

/// <summary>On PostgreSQL.</summary>
public sealed class PostgresWebhookServerFactory() : QuickWebhookServerFactory(TestDatabase.PostgreSql);

/// <summary>Webhooks on SQLite.</summary>
public sealed class SqliteWebhookTests(SqliteWebhookServerFactory server) : WebhookTests(server), IClassFixture<SqliteWebhookServerFactory>;

/// <summary>Webhooks on PostgreSQL.</summary>
public sealed class PostgresWebhookTests(PostgresWebhookServerFactory server) : WebhookTests(server), IClassFixture<PostgresWebhookServerFactory>;

/// <summary>The Standard Webhooks signature, checked against the convention's published example.</summary>
public sealed class WebhookSignatureTests
{
    [Fact]
    public void Sign_TheConventionsExample_GivesItsSignature()
    {
        const string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        const string body = "{\"test\": 2432232314}";
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSignature.Sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body));
        Assert.True(WebhookSignature.Verify(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, "v1,bm9wZQ== v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
        Assert.False(WebhookSignature.Verify(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331, body, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    }

    [Fact]
    public void RetryDelay_Doubles_UpToTheMaximum()
    {
        var options = new WebhookOptions { FirstRetryDelay = TimeSpan.FromSeconds(30), MaxRetryDelay = TimeSpan.FromMinutes(5) };
        Assert.Equal([30, 60, 120, 240, 300, 300], Enumerable.Range(1, 6).Select(n => options.RetryDelay(n).TotalSeconds));
        Assert.Contains(new WebhookOptions { MaxAttempts = 0 }.Problems(), p => p.Contains("MaxAttempts", StringComparison.Ordinal));
    }
}
