using Herald.Sandbox.Hosting;
using Herald.Sandbox.X;

namespace Herald.Sandbox;

/// <summary>X's part of the sandbox's public surface: its data, its options section and its fixed accounts.</summary>
public static class XSandboxExtensions
{
    extension(SandboxState sandbox)
    {
        /// <summary>The simulated X's users, tokens and posts.</summary>
        public XState X => sandbox.Platform<XState>();
    }

    extension(SandboxOptions options)
    {
        /// <summary>The simulated X's limits.</summary>
        public XSandboxOptions X => options.Section<XSandboxOptions>();
    }

    extension(SandboxAccounts)
    {
        public static string XUsername => "herald_sandbox";

        /// <summary>An OAuth 2.0 user token of <c>XUsername</c> that never expires (tokens the sandbox issues do).</summary>
        public static string XAccessToken => "sandbox-x";

        /// <summary>A public OAuth 2.0 client (no secret) that the sandbox issues token pairs for.</summary>
        public static string XClientId => "sandbox-x-client";

        /// <summary>OAuth 1.0a: the app's consumer pair and <c>XUsername</c>'s token pair; signatures are verified.</summary>
        public static string XConsumerKey => "sandbox-x-consumer";

        public static string XConsumerSecret => "sandbox-x-consumer-secret";

        public static string XOAuth1Token => "1580000000000000001-sandbox";

        public static string XOAuth1TokenSecret => "sandbox-x-token-secret";

        /// <summary>An app-only bearer token: known to the sandbox, but it cannot post (403).</summary>
        public static string XAppOnlyToken => "sandbox-x-app-only";
    }
}
