using System.Net;
using Herald.Publications;
using Herald.Server.Events;
using Herald.Server.Keys;
using Herald.Server.Publications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Herald.Server.Tests;

/// <summary>An open event stream (an API client, a dashboard tab) must not hold the server's shutdown until its timeout.</summary>
public sealed class EventStreamShutdownTests
{
    [Fact]
    public async Task Events_WhenTheServerBeginsToStop_TheOpenStreamEnds()
    {
        await using var server = new SqliteServerFactory();
        await ((IAsyncLifetime)server).InitializeAsync();
        using var client = await server.ClientWithScopesAsync(ApiScopes.Read);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var response = await client.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);

        server.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        // The stream ends (the read returns 0) instead of waiting for a change or for the client to leave.
        var buffer = new byte[4096];
        while (await stream.ReadAsync(buffer, deadline.Token) > 0)
        {
            // events written before the stop, if any
        }

        Assert.False(deadline.IsCancellationRequested);
    }

    /// <summary>
    /// A stopping test host disposes its services while an open stream may be reading changes (it does not wait for
    /// open requests as Kestrel does). The read caught between the two ends the stream, rather than failing the
    /// response with the disposed service's error.
    /// </summary>
    [Fact]
    public async Task Changes_ReadAfterTheServerDisposedItsServices_EndTheStreamQuietly()
    {
        var (scopes, links, clock) = await ServicesOfAStoppedServerAsync();
        using var ending = new CancellationTokenSource();
        await ending.CancelAsync();

        var changes = await EventsApi.ChangesAfterAsync(scopes, links, clock, PublicationChanges.Now(clock), ending.Token);

        Assert.Null(changes);
    }

    [Fact]
    public async Task Changes_ReadAfterTheServicesWereDisposed_WhileTheStreamIsOpen_StillFail()
    {
        var (scopes, links, clock) = await ServicesOfAStoppedServerAsync();

        // Not ending: a disposed service is a fault, not the end of the stream, and is not hidden.
        await Assert.ThrowsAsync<ObjectDisposedException>(() =>
            EventsApi.ChangesAfterAsync(scopes, links, clock, PublicationChanges.Now(clock), CancellationToken.None));
    }

    /// <summary>What an open stream holds, taken from a server that has since stopped and disposed its services.</summary>
    private static async Task<(IServiceScopeFactory Scopes, PostLinks Links, TimeProvider Clock)> ServicesOfAStoppedServerAsync()
    {
        var server = new SqliteServerFactory();
        await ((IAsyncLifetime)server).InitializeAsync();
        var services = server.Services;
        var held = (services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<PostLinks>(), services.GetRequiredService<TimeProvider>());
        await ((IAsyncLifetime)server).DisposeAsync();
        return held;
    }
}
