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

    public const string ThreadsToken = "sandbox-threads";
    public const string ThreadsUserId = "26000000000000001";
    public const string ThreadsUsername = "herald_sandbox";
}
