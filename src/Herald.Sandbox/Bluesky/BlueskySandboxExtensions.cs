using Herald.Sandbox.Bluesky;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox;

/// <summary>Bluesky's part of the sandbox's public surface: its data, its options section and its fixed account.</summary>
public static class BlueskySandboxExtensions
{
    extension(SandboxState sandbox)
    {
        /// <summary>The simulated PDS's accounts, sessions and records.</summary>
        public BlueskyState Bluesky => sandbox.Platform<BlueskyState>();
    }

    extension(SandboxOptions options)
    {
        /// <summary>The simulated PDS's token lifetimes and write limits.</summary>
        public BlueskySandboxOptions Bluesky => options.Section<BlueskySandboxOptions>();
    }

    extension(SandboxAccounts)
    {
        public static string BlueskyHandle => "herald-sandbox.bsky.social";

        public static string BlueskyAppPassword => "sbox-hrld-blue-sky2";

        public static string BlueskyDid => "did:plc:heraldsandboxblueskyacct";
    }
}
