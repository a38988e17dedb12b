using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Platforms.Tests;

/// <summary>
/// A gateway in front of the sandbox that gives up on the origin: the matching request reaches the platform,
/// which commits it, and its answer is then replaced by a 504, as a CDN or proxy answers when the origin is slow.
/// The sandbox's own faults answer before the platform acts; this one answers after.
/// </summary>
/// <param name="method">The HTTP method to catch, such as <c>POST</c>.</param>
/// <param name="pathEnd">How the caught request's path ends, such as <c>/api/articles</c>.</param>
/// <param name="times">How many matching requests get the 504; later ones pass through.</param>
internal sealed class GatewayTimeoutAfterCommit(string method, string pathEnd, int times = 1)
{
    private readonly int _times = times;
    private int _left = times;

    /// <summary>How many answers were replaced so far.</summary>
    public int Replaced => _times - Math.Max(Volatile.Read(ref _left), 0);

    /// <summary>Puts the gateway in front of the named client's platform.</summary>
    public void AddTo(IServiceCollection services, string clientName) =>
        services.AddHttpClient(clientName).AddHttpMessageHandler(() => new Handler(this));

    private bool Catches(HttpRequestMessage request) =>
        request.Method.Method == method &&
        request.RequestUri!.AbsolutePath.EndsWith(pathEnd, StringComparison.Ordinal) &&
        Interlocked.Decrement(ref _left) >= 0;

    private sealed class Handler(GatewayTimeoutAfterCommit gateway) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!gateway.Catches(request))
            {
                return response;
            }

            // The origin's answer is read to the end first, so the platform has finished with the request.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            response.Dispose();
            return new HttpResponseMessage(HttpStatusCode.GatewayTimeout)
            {
                RequestMessage = request,
                Content = new StringContent("<html><body><h1>504 Gateway Time-out</h1></body></html>", System.Text.Encoding.UTF8, "text/html"),
            };
        }
    }
}
