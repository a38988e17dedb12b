using Herald.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Herald.Server.Tests;

/// <summary>How the server host is put together.</summary>
public sealed class HostingTests(SqliteServerFactory server) : IClassFixture<SqliteServerFactory>
{
    [Fact]
    public void ShutdownTimeout_IsLongerThanAnAttempt_SoInFlightAttemptsFinish()
    {
        var host = server.Services.GetRequiredService<IOptions<HostOptions>>().Value;
        var workers = server.Services.GetRequiredService<WorkerOptions>();
        Assert.True(host.ShutdownTimeout > workers.AttemptTimeout, $"shutdown {host.ShutdownTimeout} ≤ attempt {workers.AttemptTimeout}");
        Assert.True(host.ShutdownTimeout >= workers.ShutdownTimeout);
    }
}
