using Herald.Sandbox.DevTo;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox;

/// <summary>Dev.to's part of the sandbox's public surface: its data, its options section and its fixed account.</summary>
public static class DevToSandboxExtensions
{
    extension(SandboxState sandbox)
    {
        /// <summary>The simulated Dev.to's users and articles.</summary>
        public DevToState DevTo => sandbox.Platform<DevToState>();
    }

    extension(SandboxOptions options)
    {
        /// <summary>The simulated Dev.to's limits.</summary>
        public DevToSandboxOptions DevTo => options.Section<DevToSandboxOptions>();
    }

    extension(SandboxAccounts)
    {
        public static string DevToUsername => "herald_sandbox";

        public static string DevToKey => "sandbox-devto";
    }
}
