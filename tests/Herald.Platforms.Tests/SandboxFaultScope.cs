using Herald.Sandbox.Hosting;

namespace Herald.Platforms.Tests;

/// <summary>Runs one action against the sandbox with faults switched on, and switches them off again whatever happens.</summary>
internal static class SandboxFaultScope
{
    public static async Task<T> WithFaultsAsync<T>(this SandboxServer server, SandboxFaults faults, Func<Task<T>> action)
    {
        server.State.Faults = faults;
        try
        {
            return await action();
        }
        finally
        {
            server.State.Faults = SandboxFaults.None;
        }
    }
}
