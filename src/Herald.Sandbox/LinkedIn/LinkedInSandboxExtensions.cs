using Herald.Sandbox.Hosting;
using Herald.Sandbox.LinkedIn;

namespace Herald.Sandbox;

/// <summary>LinkedIn's part of the sandbox's public surface: its data, its options section and its fixed account.</summary>
public static class LinkedInSandboxExtensions
{
    extension(SandboxState sandbox)
    {
        /// <summary>The simulated LinkedIn's members and posts.</summary>
        public LinkedInState LinkedIn => sandbox.Platform<LinkedInState>();
    }

    extension(SandboxOptions options)
    {
        /// <summary>The simulated LinkedIn's limits.</summary>
        public LinkedInSandboxOptions LinkedIn => options.Section<LinkedInSandboxOptions>();
    }

    extension(SandboxAccounts)
    {
        public static string LinkedInToken => "sandbox-linkedin";

        public static string LinkedInAuthorUrn => "urn:li:person:sandbox";
    }
}
