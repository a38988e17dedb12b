using System.Net;
using System.Text.Json;
using Herald.LightPlatform;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// A light Dev.to: the two calls Herald's Dev.to adapter makes, answered at once from memory, plus a control
// surface for the benchmark harness (docs/benchmarks.md). It listens on a free loopback port (or --port N) and
// prints its address as the first line of standard output, which is how the harness finds it.
var port = args.SkipWhile(a => a != "--port").Skip(1).Select(int.Parse).FirstOrDefault();
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    k.Listen(IPAddress.Loopback, port);
    k.AddServerHeader = false;
});
var store = new ArticleStore(TimeProvider.System);

var app = builder.Build();

// POST /api/articles {"article":{"title","body_markdown","published","tags","canonical_url",…}} → 201 {"id","url"}.
app.MapPost("/api/articles", async (HttpRequest request) =>
{
    // The arrival instant is taken before anything else: lateness is measured against it.
    var arrived = store.Now();
    if (!request.Headers.TryGetValue("api-key", out var key) || string.IsNullOrEmpty(key))
    {
        return Results.Json(new { error = "unauthorized", status = 401 }, statusCode: 401);
    }

    using var body = await JsonDocument.ParseAsync(request.Body);
    if (!body.RootElement.TryGetProperty("article", out var article) || article.ValueKind != JsonValueKind.Object)
    {
        return Results.Json(new { error = "param is missing or the value is empty: article", status = 422 }, statusCode: 422);
    }

    var created = store.Add(key.ToString(), article, arrived);
    return Results.Json(new { id = created.Id, url = created.Url }, statusCode: 201);
});

// GET /api/articles/me/all?per_page=&page= → the caller's articles, newest first.
app.MapGet("/api/articles/me/all", (HttpRequest request, int? per_page, int? page) =>
{
    if (!request.Headers.TryGetValue("api-key", out var key) || string.IsNullOrEmpty(key))
    {
        return Results.Json(new { error = "unauthorized", status = 401 }, statusCode: 401);
    }

    var size = Math.Clamp(per_page ?? 30, 1, 1000);
    var number = Math.Max(1, page ?? 1);
    return Results.Json(store.Page(key.ToString(), size, number));
});

// The harness's controls: counts while it waits, every arrival with its key and time, and a reset between scenarios.
app.MapGet("/_light/summary", () => Results.Json(store.Summary()));
app.MapGet("/_light/arrivals", () => Results.Json(store.Arrivals()));
app.MapPost("/_light/reset", () =>
{
    store.Reset();
    return Results.NoContent();
});

await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine(address);
await app.WaitForShutdownAsync();
