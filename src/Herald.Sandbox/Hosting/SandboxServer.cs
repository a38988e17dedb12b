using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Herald.Sandbox.Hosting;

/// <summary>
/// The platform simulator, listening on loopback. Tests start it in-process on a free port;
/// <c>herald sandbox</c> runs it standalone. Each platform lives under <c>/{platform}/</c>, and the
/// sandbox's own control endpoints under <c>/_sandbox/</c>.
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxServer(WebApplication app, SandboxState state, Uri baseAddress)
    {
        _app = app;
        State = state;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the sandbox listens, such as <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri BaseAddress { get; }

    public SandboxState State { get; }

    public SandboxRecorder Requests => State.Recorder;

    /// <summary>The base address an account of <paramref name="platform"/> should use, such as <c>…/devto/api</c>.</summary>
    public Uri PlatformBaseUrl(string platform) => SandboxPlatforms.Find(platform) is { } simulated
        ? new Uri(BaseAddress, simulated.BasePath)
        : throw new ArgumentException($"The sandbox does not simulate '{platform}'.", nameof(platform));

    public static async Task<SandboxServer> StartAsync(SandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Sandbox" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        var state = new SandboxState(options);
        builder.Services.AddSingleton(state);

        var app = builder.Build();
        app.UseMiddleware<PlatformTrafficMiddleware>();
        MapControlEndpoints(app, state);
        SandboxPages.Map(app, state);
        foreach (var platform in SandboxPlatforms.All)
        {
            platform.Map(app.MapGroup("/" + platform.Id));
        }

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        return new SandboxServer(app, state, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) =>
        _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static void MapControlEndpoints(WebApplication app, SandboxState state)
    {
        var control = app.MapGroup("/_sandbox");
        control.MapGet("/", () => Results.Json(new
        {
            platforms = SandboxState.Platforms.Order(),
            requests = state.Recorder.All.Count,
            faults = state.Faults,
        }));
        control.MapGet("/requests", (string? platform) =>
            Results.Json(platform is null ? state.Recorder.All : state.Recorder.For(platform)));
        control.MapDelete("/requests", () =>
        {
            state.Recorder.Clear();
            return Results.NoContent();
        });
        control.MapGet("/posts", (string? platform) => platform is null || SandboxState.Platforms.Contains(platform)
            ? Results.Json(SandboxPostListing.List(state, platform))
            : Results.Json(new { error = $"platform: unknown platform '{platform}'; known: {string.Join(", ", SandboxState.Platforms.Order())}" }, statusCode: 400));
        control.MapGet("/faults", () => Results.Json(state.Faults));
        control.MapPut("/faults", (SandboxFaults faults) =>
        {
            state.Faults = faults;
            return Results.Json(state.Faults);
        });
    }
}
