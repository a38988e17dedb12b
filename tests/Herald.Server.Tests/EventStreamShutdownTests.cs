using System.Net;
using Herald.Server.Keys;
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
}
