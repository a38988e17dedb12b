using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Testing;

/// <summary>
/// A real HTTP server on 127.0.0.1 serving what remote image fetches meet: an image, redirect chains, a body too large
/// without a Content-Length, an HTML page named .png, a server that stalls, and 404 for anything else.
/// </summary>
internal sealed class ImageServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _slowStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);

    private bool _disposed;

    private ImageServer(WebApplication app) => _app = app;

    /// <summary>The server's address, such as <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Completes when a request to <c>/slow.png</c> has had its headers and first bytes.</summary>
    public Task SlowStarted => _slowStarted.Task;

    /// <summary>How many requests reached <paramref name="path"/>.</summary>
    public int Hits(string path) => _hits.GetValueOrDefault(path);

    /// <summary>
    /// Starts the server: <c>/a.png</c> is <paramref name="png"/>; <c>/hop/{n}</c> redirects n+1 times before it;
    /// <c>/big.png</c> streams <paramref name="bigBytes"/> bytes of a PNG-looking body, chunked; <c>/page.png</c> is
    /// HTML sent as image/png; <c>/slow.png</c> sends its first bytes then waits until the client goes;
    /// <c>/to/{host}</c> redirects to <c>/a.png</c> on that host (same port); <c>/ftp</c> redirects to an ftp: URL.
    /// </summary>
    public static async Task<ImageServer> StartAsync(byte[] png, long bigBytes = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ImageServer(app);
        app.Use((context, next) =>
        {
            server._hits.AddOrUpdate(context.Request.Path.Value ?? "", 1, (_, n) => n + 1);
            return next(context);
        });
        app.MapGet("/a.png", () => Results.Bytes(png, "image/png"));
        app.MapGet("/hop/{n:int}", (int n) => Results.Redirect(n == 0 ? "/a.png" : $"/hop/{n - 1}"));
        app.MapGet("/to/{host}", (string host, HttpContext context) => Results.Redirect($"http://{host}:{context.Connection.LocalPort}/a.png"));
        app.MapGet("/ftp", () => Results.Redirect("ftp://127.0.0.1/a.png"));
        app.MapGet("/page.png", () => Results.Text("<!doctype html><html><body>Not an image</body></html>", "image/png"));
        app.MapGet("/big.png", async (HttpContext context) =>
        {
            context.Response.ContentType = "image/png";
            var chunk = new byte[64 * 1024];
            png.AsSpan(0, Math.Min(png.Length, chunk.Length)).CopyTo(chunk);
            for (long sent = 0; sent < bigBytes && !context.RequestAborted.IsCancellationRequested; sent += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, bigBytes - sent)));
                await context.Response.Body.FlushAsync();
            }
        });
        app.MapGet("/slow.png", async (HttpContext context) =>
        {
            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(png.AsMemory(0, 16));
            await context.Response.Body.FlushAsync();
            server._slowStarted.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, as it should.
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>An address on this server by another host name or address (the same port).</summary>
    public string Url(string path, string host = "127.0.0.1") => $"http://{host}:{BaseAddress.Port}/{path.TrimStart('/')}";

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
