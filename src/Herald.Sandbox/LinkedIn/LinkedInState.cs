using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.LinkedIn;

/// <summary>The simulated LinkedIn's data: members, posts.</summary>
public sealed class LinkedInState
{
    internal LinkedInState(SandboxState sandbox) => Sandbox = sandbox;

    internal SandboxState Sandbox { get; }
}
