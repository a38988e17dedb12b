using Herald.Sandbox.Hosting;
using Herald.Sandbox.Threads;

namespace Herald.Sandbox;

/// <summary>Threads' part of the sandbox's public surface: its data, its options section and its fixed account.</summary>
public static class ThreadsSandboxExtensions
{
    extension(SandboxState sandbox)
    {
        /// <summary>The simulated Threads API's users, containers and posts.</summary>
        public ThreadsState Threads => sandbox.Platform<ThreadsState>();
    }

    extension(SandboxOptions options)
    {
        /// <summary>The simulated Threads API's quotas and container timing.</summary>
        public ThreadsSandboxOptions Threads => options.Section<ThreadsSandboxOptions>();
    }

    extension(SandboxAccounts)
    {
        public static string ThreadsToken => "sandbox-threads";

        public static string ThreadsUserId => "26000000000000001";

        public static string ThreadsUsername => "herald_sandbox";
    }
}
