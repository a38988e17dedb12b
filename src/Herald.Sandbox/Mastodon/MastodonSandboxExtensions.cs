using Herald.Sandbox.Hosting;
using Herald.Sandbox.Mastodon;

namespace Herald.Sandbox;

/// <summary>Mastodon's part of the sandbox's public surface: its data, its options section and its fixed account.</summary>
public static class MastodonSandboxExtensions
{
    extension(SandboxState sandbox)
    {
        /// <summary>The simulated Mastodon instance's accounts and statuses.</summary>
        public MastodonState Mastodon => sandbox.Platform<MastodonState>();
    }

    extension(SandboxOptions options)
    {
        /// <summary>The simulated Mastodon instance's limits.</summary>
        public MastodonSandboxOptions Mastodon => options.Section<MastodonSandboxOptions>();
    }

    extension(SandboxAccounts)
    {
        public static string MastodonToken => "sandbox-mastodon";

        public static string MastodonUsername => "herald";
    }
}
