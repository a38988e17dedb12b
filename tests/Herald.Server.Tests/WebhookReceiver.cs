using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Tests;

/// <summary>
/// A real webhook receiver: Kestrel on a loopback port, keeping every request it gets (headers and body), answering
/// 503 to the first <c>failFirst</c> and 200 after.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _count;

    private WebhookReceiver(WebApplication app, int failFirst)
    {
        _app = app;
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var failed = Interlocked.Increment(ref _count) <= failFirst;
            Received.Enqueue(new Delivery(
                context.Request.Headers["webhook-id"].ToString(),
                context.Request.Headers["webhook-timestamp"].ToString(),
                context.Request.Headers["webhook-signature"].ToString(),
                body,
                failed ? 503 : 200));
            return failed ? Results.StatusCode(503) : Results.Ok();
        });
    }

    /// <summary>One request as it arrived, and what the receiver answered.</summary>
    public sealed record Delivery(string Id, string Timestamp, string Signature, string Body, int Answered);

    public ConcurrentQueue<Delivery> Received { get; } = new();

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync(int failFirst)
    {
        await ServerFactory.StartLock.WaitAsync();
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var receiver = new WebhookReceiver(builder.Build(), failFirst);
            await receiver._app.StartAsync();
            var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            receiver.Url = new Uri(new Uri(address), "/hook");
            return receiver;
        }
        finally
        {
            ServerFactory.StartLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
