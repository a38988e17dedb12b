namespace Herald.Sandbox;

/// <summary>
/// The accounts every sandbox knows from the start. They are fixed, not tied to one process or port, so
/// a worker started later against another sandbox run still finds them. They open nothing real. Each platform
/// declares its own in its folder (<c>SandboxAccounts.DevToKey</c> lives in <c>DevTo/DevToSandboxExtensions.cs</c>),
/// so a new platform adds its accounts without editing this file.
/// </summary>
public static class SandboxAccounts;
