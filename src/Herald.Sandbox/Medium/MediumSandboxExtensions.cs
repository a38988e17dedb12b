using Herald.Sandbox.Hosting;
using Herald.Sandbox.Medium;

namespace Herald.Sandbox;

/// <summary>Medium's part of the sandbox's public surface: its data and its fixed account (it has no limits to set).</summary>
public static class MediumSandboxExtensions
{
    extension(SandboxState sandbox)
    {
        /// <summary>The simulated Medium's users and posts.</summary>
        public MediumState Medium => sandbox.Platform<MediumState>();
    }

    extension(SandboxAccounts)
    {
        public static string MediumUsername => "herald_sandbox";

        public static string MediumToken => "sandbox-medium";
    }
}
