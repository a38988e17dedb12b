using System.Collections.Concurrent;
using Herald.Platforms.Media;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Platforms.Tests.Media;

/// <summary>
/// A public web server on a loopback port for platforms that download images themselves: <c>/media/{sha256}</c>
/// answered by <see cref="PublicMedia.OpenAsync"/> (the code Herald's server runs) over <see cref="StoredImages"/>,
/// and <c>/remote/{name}</c> for images that already live at a URL of their own. Every request is kept.
/// </summary>
internal sealed class PublicMediaHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _remote = new(StringComparer.Ordinal);

    private PublicMediaHost(WebApplication app, StoredImages images)
    {
        _app = app;
        Images = images;
    }

    public StoredImages Images { get; }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Path and query of every request, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<PublicMediaHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var host = new PublicMediaHost(app, new StoredImages());
        app.Use(async (context, next) =>
        {
            host.Requests.Enqueue(context.Request.Path + context.Request.QueryString);
            await next(context);
        });
        app.MapGet("/media/{sha256}", async (HttpContext context, string sha256) =>
        {
            var file = await PublicMedia.OpenAsync(host.Images.OpenAsync, sha256, context.Request.Query["fit"].ToString(), context.RequestAborted);
            if (file is null)
            {
                return Results.NotFound();
            }

            await using var body = file.Content;
            using var copy = new MemoryStream();
            await body.CopyToAsync(copy, context.RequestAborted);
            return Results.Bytes(copy.ToArray(), file.MediaType);
        });
        app.MapGet("/remote/{name}", (string name) =>
            host._remote.TryGetValue(name, out var bytes) ? Results.Bytes(bytes, "application/octet-stream") : Results.NotFound());
        await app.StartAsync();
        host.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return host;
    }

    /// <summary>Serves <paramref name="bytes"/> at <c>/remote/{name}</c> and returns that URL.</summary>
    public Uri Remote(string name, byte[] bytes)
    {
        _remote[name] = bytes;
        return new Uri(BaseUrl, $"remote/{name}");
    }

    public int CountOf(string pathStart) => Requests.Count(r => r.StartsWith(pathStart, StringComparison.Ordinal));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
