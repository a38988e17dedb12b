using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Herald.IntegrationTests.Workers;

/// <summary>
/// A loopback HTTP proxy in front of one sandbox platform that forwards every request, except that it holds each
/// matching one unanswered (and never forwards it) until <see cref="PassEverything"/> — how a test stops a worker at
/// the instant its create request is on the wire, before the platform has it.
/// </summary>
internal sealed class HoldingProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Uri _target;
    private readonly Func<HttpRequest, bool> _hold;
    private readonly HttpClient _client = new();
    private volatile bool _holding = true;

    private HoldingProxy(WebApplication app, Uri target, Func<HttpRequest, bool> hold)
    {
        _app = app;
        _target = target;
        _hold = hold;
    }

    /// <summary>Where a client points instead of the platform.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Completes when a request to hold arrived (it stays unanswered until its client goes away).</summary>
    public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<HoldingProxy> StartAsync(Uri target, Func<HttpRequest, bool> hold)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        // Relative paths resolve under the platform's own path only when it ends with a slash.
        var proxy = new HoldingProxy(app, target.AbsoluteUri.EndsWith('/') ? target : new Uri(target.AbsoluteUri + "/"), hold);
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        proxy.Address = new Uri(app.Urls.Single() + "/");
        return proxy;
    }

    /// <summary>From now on every request is forwarded.</summary>
    public void PassEverything() => _holding = false;

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (_holding && _hold(request))
        {
            Held.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client went away (killed): the request was never forwarded.
            }

            return;
        }

        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_target, request.Path.Value!.TrimStart('/') + request.QueryString));
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            message.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
    }
}
