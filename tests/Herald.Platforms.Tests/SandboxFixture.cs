using Herald.Sandbox.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Platforms.Tests;

/// <summary>
/// A real sandbox on a free loopback port, shared by the tests of one class. Tests reset the recorded
/// requests and faults they touch; the sandbox clock is a FakeTimeProvider the tests move.
/// </summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    public SandboxServer Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = Clock, Random = new Random(42) });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
