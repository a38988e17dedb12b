namespace Herald.Sandbox;

/// <summary>
/// The accounts every sandbox knows from the start. They are fixed, not tied to one process or port, so
/// a worker started later against another sandbox run still finds them. They open nothing real.
/// </summary>
public static class SandboxAccounts
{
    public const string DevToUsername = "herald_sandbox";
    public const string DevToKey = "sandbox-devto";

    public const string LinkedInToken = "sandbox-linkedin";
    public const string LinkedInAuthorUrn = "urn:li:person:sandbox";

    public const string XUsername = "herald_sandbox";

    /// <summary>An OAuth 2.0 user token of <see cref="XUsername"/> that never expires (tokens the sandbox issues do).</summary>
    public const string XAccessToken = "sandbox-x";

    /// <summary>A public OAuth 2.0 client (no secret) that the sandbox issues token pairs for.</summary>
    public const string XClientId = "sandbox-x-client";

    /// <summary>OAuth 1.0a: the app's consumer pair and <see cref="XUsername"/>'s token pair; signatures are verified.</summary>
    public const string XConsumerKey = "sandbox-x-consumer";
    public const string XConsumerSecret = "sandbox-x-consumer-secret";
    public const string XOAuth1Token = "1580000000000000001-sandbox";
    public const string XOAuth1TokenSecret = "sandbox-x-token-secret";

    /// <summary>An app-only bearer token: known to the sandbox, but it cannot post (403).</summary>
    public const string XAppOnlyToken = "sandbox-x-app-only";

    public const string MediumUsername = "herald_sandbox";
    public const string MediumToken = "sandbox-medium";
    public const string MastodonToken = "sandbox-mastodon";
    public const string MastodonUsername = "herald";

    public const string BlueskyHandle = "herald-sandbox.bsky.social";
    public const string BlueskyAppPassword = "sbox-hrld-blue-sky2";
    public const string BlueskyDid = "did:plc:heraldsandboxblueskyacct";

    public const string ThreadsToken = "sandbox-threads";
    public const string ThreadsUserId = "26000000000000001";
    public const string ThreadsUsername = "herald_sandbox";
}
